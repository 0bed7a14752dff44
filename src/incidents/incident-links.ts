/**
 * Every link to an incident that Sidekick posts or files is built here, from the configured public
 * URL, so that chat posts, reports and trackers all open the same page of the web UI. The UI routes
 * with the location hash (`#/incidents/<id>`): a path such as `/incidents/<id>` would open the
 * incident list instead.
 */

function baseOf(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

/** The incident's page in the web UI: `https://sidekick.example.com/#/incidents/<id>`. */
export function incidentUrl(publicUrl: string, incidentId: string): string {
  return `${baseOf(publicUrl)}/#/incidents/${encodeURIComponent(incidentId)}`;
}

/** The incident's report as Markdown, straight from the API. */
export function incidentReportUrl(publicUrl: string, incidentId: string): string {
  return `${baseOf(publicUrl)}/api/incidents/${encodeURIComponent(incidentId)}/report`;
}

/** A channel of the built-in room: the UI opens the incident that owns the channel. */
export function roomChannelUrl(publicUrl: string, channel: string): string {
  return `${baseOf(publicUrl)}/#/channels/${encodeURIComponent(channel)}`;
}
