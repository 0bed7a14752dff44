import type { AlertLink, AlertStatus, NormalisedAlert, Severity } from '../alert.js';
import type { AlertSource, WebhookRequest } from '../alert-source.js';
import { genericMappingSchema, type GenericMapping } from '../generic-mapping.js';
import { AlertPayloadError } from '../errors.js';
import { isRecord, labelsOf, lookup, nonEmpty, textOf } from '../mapping/json-value.js';
import { collectLinks } from '../mapping/links.js';
import { toInstant } from '../mapping/instant.js';
import { readPath } from '../mapping/read-path.js';
import { severityFromPriority, severityFromWord } from '../mapping/severity.js';
import { cleanTitle } from '../mapping/title.js';

const STATUS_WORDS: Record<string, AlertStatus> = {
  firing: 'firing',
  fire: 'firing',
  alerting: 'firing',
  alert: 'firing',
  triggered: 'firing',
  trigger: 'firing',
  open: 'firing',
  problem: 'firing',
  active: 'firing',
  down: 'firing',
  critical: 'firing',
  warning: 'firing',
  error: 'firing',
  resolved: 'resolved',
  resolve: 'resolved',
  recovered: 'resolved',
  ok: 'resolved',
  closed: 'resolved',
  close: 'resolved',
  clear: 'resolved',
  cleared: 'resolved',
  normal: 'resolved',
  inactive: 'resolved',
  up: 'resolved',
  healthy: 'resolved',
};

let defaultMapping: GenericMapping | undefined;

/**
 * Any JSON, mapped by paths from `alerts.sources.generic.mapping`. Defaults read
 * `{ key, title, status, severity, labels, links, startsAt, deliveryId }`. A body that is an
 * array (or a `mapping.alerts` path to one) carries several alerts; each one's paths are read
 * relative to it (`$` is the alert), and its `raw` is that element.
 */
export const genericSource: AlertSource = {
  name: 'generic',
  parse(payload, request, options) {
    const mapping = options.mapping ?? (defaultMapping ??= genericMappingSchema.parse({}));
    let items: unknown[];
    if (mapping.alerts) {
      const list = readPath(payload, mapping.alerts);
      if (!Array.isArray(list)) throw new AlertPayloadError(`expected an array of alerts at "${mapping.alerts}"`);
      items = list;
    } else items = Array.isArray(payload) ? payload : [payload];
    return items.map((item, index) => mapItem(item, items.length > 1 || Array.isArray(payload) ? `alerts[${index}]: ` : '', mapping, request));
  },
};

function mapItem(item: unknown, where: string, mapping: GenericMapping, request: WebhookRequest): NormalisedAlert {
  if (!isRecord(item)) throw new AlertPayloadError(`${where}expected a JSON object`);
  const read = (path: string) => readPath(item, path);
  const title = nonEmpty(read(mapping.title));
  const key = nonEmpty(read(mapping.key)) ?? title;
  if (!key) throw new AlertPayloadError(`${where}found neither a key at "${mapping.key}" nor a title at "${mapping.title}"`);
  return {
    source: 'generic',
    dedupKey: key,
    status: statusOf(read(mapping.status), mapping, where),
    title: cleanTitle(title ?? key) || key.slice(0, 200),
    severity: severityOf(read(mapping.severity), mapping),
    labels:
      typeof mapping.labels === 'string'
        ? labelsOf(read(mapping.labels))
        : Object.fromEntries(
            Object.entries(mapping.labels).flatMap(([name, path]) => {
              const value = textOf(read(path));
              return value === undefined ? [] : [[name, value]];
            }),
          ),
    links: linksOf(read(mapping.links)),
    startsAt: toInstant(read(mapping.startsAt)) ?? request.receivedAt.toISOString(),
    raw: item,
    deliveryId: nonEmpty(read(mapping.deliveryId)),
  };
}

function statusOf(value: unknown, mapping: GenericMapping, where: string): AlertStatus {
  if (value === undefined || value === null) return 'firing';
  const text = textOf(value)!.trim();
  const status = lookup(mapping.statusMap, text) ?? lookup(STATUS_WORDS, text.toLowerCase());
  if (status) return status;
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  throw new AlertPayloadError(`${where}status "${shown}" at "${mapping.status}" is neither firing nor resolved; add it to alerts.sources.generic.mapping.statusMap`);
}

// Unknown severity words fall back to warning rather than refusing the alert: being told about
// a problem at the wrong urgency beats not being told.
function severityOf(value: unknown, mapping: GenericMapping): Severity {
  const text = textOf(value)?.trim();
  if (!text) return 'warning';
  return lookup(mapping.severityMap, text) ?? severityFromWord(text) ?? severityFromPriority(text) ?? 'warning';
}

// Links as `[{ title, url }]`, `["https://…"]` or `{ "Runbook": "https://…" }`.
function linksOf(value: unknown): AlertLink[] {
  if (Array.isArray(value)) {
    return collectLinks(value.map((entry): [unknown, unknown] => (isRecord(entry) ? [entry.title ?? entry.name ?? entry.text, entry.url ?? entry.href] : [undefined, entry])));
  }
  if (isRecord(value)) return collectLinks(Object.entries(value));
  return collectLinks([[undefined, value]]);
}
