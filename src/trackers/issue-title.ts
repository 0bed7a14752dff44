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

/** One line of at most `max` UTF-16 units (as GitLab and Jira count), never cut inside a surrogate pair. */
export function cutToLine(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  let end = max - 1;
  const code = clean.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${clean.slice(0, end)}…`;
}
