import type { NormalisedAlert, Severity } from '../alert.js';
import type { AlertSource, WebhookRequest } from '../alert-source.js';
import { AlertPayloadError } from '../errors.js';
import { isRecord, nonEmpty } from '../mapping/json-value.js';
import { collectLinks } from '../mapping/links.js';
import { toInstant } from '../mapping/instant.js';
import { severityFromPriority } from '../mapping/severity.js';
import { labelsFromTags } from '../mapping/tags.js';
import { cleanTitle } from '../mapping/title.js';

/*
 * Datadog's webhook payload is a template the user writes, so field names vary. We read the
 * default payload (`title`, `body`, `date`, `id`, …; see integrations.md §5) and the names people
 * give the other variables in custom payloads (`alert_transition` for $ALERT_TRANSITION, …).
 * Every variable arrives as a string.
 */
const FIELDS = {
  title: ['title', 'event_title', 'alert_title'],
  transition: ['alert_transition', 'transition'],
  priority: ['alert_priority', 'priority'],
  type: ['alert_type', 'type'],
  dedup: ['aggreg_key', 'aggregate_key', 'aggregation_key'],
  monitor: ['alert_id', 'monitor_id'],
  cycle: ['alert_cycle_key', 'cycle'],
  scope: ['alert_scope', 'scope'],
  host: ['hostname', 'host'],
  date: ['date', 'last_updated'],
  body: ['body', 'msg', 'text_only_msg', 'event_msg'],
} as const;

// `[P2] [Re-Triggered on {host:db-7}] name`: Datadog prefixes event titles with the priority and
// the transition (and the group's scope for multi-alert monitors).
const TRANSITION_PREFIX = /^\[(Re-Triggered|Triggered|Recovered|Re-Warn|Warn|Re-No Data|No Data|Renotify)(?: on \{([^}]*)\})?\]\s*/i;
const PRIORITY_PREFIX = /^\[(P[1-5])\]\s*/i;
const MARKDOWN_LINK = /\[([^[\]\n]{0,200})\]\((https?:\/\/[^\s()]{1,2048})\)/g;
const MAX_BODY_LINKS = 20;

/** Datadog's webhook integration: the default payload and custom ones. */
export const datadogSource: AlertSource = {
  name: 'datadog',
  parse(payload, request) {
    if (!isRecord(payload)) throw new AlertPayloadError('a Datadog webhook payload must be a JSON object');
    return [mapDatadogEvent(payload, request)];
  },
};

function mapDatadogEvent(event: Record<string, unknown>, request: WebhookRequest): NormalisedAlert {
  const pick = (names: readonly string[]) => {
    for (const name of names) {
      const value = nonEmpty(event[name]) ?? nonEmpty(event[name.toUpperCase()]);
      // A variable Datadog left unreplaced (`"$ALERT_ID"`) means the value is unknown.
      if (value && !/^\$[A-Z_]+$/.test(value)) return value;
    }
    return undefined;
  };
  const rawTitle = pick(FIELDS.title);
  if (!rawTitle) {
    throw new AlertPayloadError('the Datadog payload has no title: expected "title" ($EVENT_TITLE) as in the default webhook payload');
  }
  const heading = readTitle(rawTitle);
  const transition = pick(FIELDS.transition) ?? heading.transition;
  const type = pick(FIELDS.type)?.toLowerCase();
  const body = pick(FIELDS.body) ?? '';
  const scope = pick(FIELDS.scope) ?? heading.scope;
  const bodyLinks = [...body.matchAll(MARKDOWN_LINK)].slice(0, MAX_BODY_LINKS);
  const monitorId = pick(FIELDS.monitor) ?? bodyLinks.map((m) => /\/monitors\/(\d+)/.exec(m[2])?.[1]).find(Boolean);

  const labels = { ...labelsFromTags(scope ?? ''), ...labelsFromTags(event.tags ?? event.TAGS) };
  const host = pick(FIELDS.host);
  if (host && labels.host === undefined) labels.host = host;

  const status = transition ? (/^recovered$/i.test(transition) ? 'resolved' : 'firing') : type === 'success' ? 'resolved' : 'firing';
  return {
    source: 'datadog',
    dedupKey: pick(FIELDS.dedup) ?? (monitorId ? `monitor:${monitorId}${scope ? `:${scope}` : ''}` : undefined) ?? pick(FIELDS.cycle) ?? `title:${heading.name}${scope ? `:${scope}` : ''}`,
    status,
    title: cleanTitle(heading.name) || 'Datadog alert',
    severity: severityOf([...FIELDS.priority.map((name) => pick([name])), heading.priority], transition, type),
    labels,
    links: collectLinks([
      ['Datadog event', event.link],
      // The body's own "Monitor Status" link is better when there is one.
      ['Monitor', bodyLinks.some((m) => m[2].includes('/monitors/')) ? undefined : monitorUrl(nonEmpty(event.link), monitorId)],
      ['Graph snapshot', event.snapshot],
      ...bodyLinks.map((m): [string, string] => [m[1].replace(/^!/, ''), m[2]]),
    ]),
    startsAt: toInstant(pick(FIELDS.date)) ?? request.receivedAt.toISOString(),
    raw: event,
    deliveryId: nonEmpty(event.id),
    // A multi-alert monitor fires once per host (its group scope, kept in the dedup key); while
    // its incident is open, every host of that monitor folds into it.
    monitorGroup: monitorId ? `monitor:${monitorId}` : undefined,
  };
}

// Custom payloads often carry $LINK and $ALERT_ID but no body; the event link's host tells the
// Datadog site (datadoghq.com, datadoghq.eu, …), so the monitor's page can be linked too.
function monitorUrl(eventLink: string | undefined, monitorId: string | undefined): string | undefined {
  if (!eventLink || !monitorId || !/^\d+$/.test(monitorId)) return undefined;
  try {
    const { origin, hostname } = new URL(eventLink);
    return /(^|\.)(datadoghq\.(com|eu)|ddog-gov\.com)$/.test(hostname) ? `${origin}/monitors/${monitorId}` : undefined;
  } catch {
    return undefined;
  }
}

/** Splits `[P2] [Triggered on {host:db-7}] MySQL lag` into its parts. */
function readTitle(title: string): { name: string; transition?: string; scope?: string; priority?: string } {
  let rest = title.trim();
  const heading: { transition?: string; scope?: string; priority?: string } = {};
  for (let guard = 0; guard < 3; guard++) {
    const priority = PRIORITY_PREFIX.exec(rest);
    const transition = priority ? undefined : TRANSITION_PREFIX.exec(rest);
    if (priority) heading.priority = priority[1];
    else if (transition) {
      heading.transition = transition[1];
      heading.scope = transition[2];
    } else break;
    rest = rest.slice((priority ?? transition)![0].length);
  }
  return { name: rest || title, ...heading };
}

// Datadog's monitor priority wins; without one, a warning transition is a warning and anything
// else that fired is treated as high, since someone chose to send it to an incident tool.
// (`priority` may also hold $PRIORITY, the event's `normal`/`low`, which says nothing.)
function severityOf(priorities: (string | undefined)[], transition: string | undefined, type: string | undefined): Severity {
  const fromPriority = priorities.map((priority) => severityFromPriority(priority)).find(Boolean);
  if (fromPriority) return fromPriority;
  if (transition && /warn|no data/i.test(transition)) return 'warning';
  if (type === 'warning') return 'warning';
  if (type === 'info') return 'info';
  return 'high';
}
