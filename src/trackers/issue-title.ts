/** GitHub's limit on an issue title. */
const MAX_TITLE = 256;

/**
 * The title to file under: the request's, or when that is blank (a template that rendered to
 * nothing) the report's own first heading, or the incident id. Trackers refuse empty titles.
 */
export function issueTitleOf(request: { title?: string; body: string; incidentId: string }): string {
  const given = (request.title ?? '').replace(/\s+/g, ' ').trim();
  const heading = /^# (.+)$/m.exec(request.body.slice(0, 2000))?.[1]?.trim();
  const title = given || heading || `Incident ${request.incidentId}`;
  const chars = Array.from(title);
  return chars.length <= MAX_TITLE ? title : `${chars.slice(0, MAX_TITLE - 1).join('')}…`;
}
