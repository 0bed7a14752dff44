import type { NormalisedAlert, Severity } from '../alert.js';
import type { AlertSource } from '../alert-source.js';
import { AlertPayloadError } from '../errors.js';
import { headerValue, isRecord, nonEmpty } from '../mapping/json-value.js';
import { collectLinks } from '../mapping/links.js';
import { toInstant } from '../mapping/instant.js';
import { severityFromPriority } from '../mapping/severity.js';
import { cleanTitle } from '../mapping/title.js';

// Incident events that say the problem is (still) happening. Notes, responder requests and
// status updates are not alerts; they are answered 2xx and not recorded, so PagerDuty does
// not retry them or count them as failures.
const FIRING = new Set([
  'incident.triggered',
  'incident.reopened',
  'incident.acknowledged',
  'incident.unacknowledged',
  'incident.escalated',
  'incident.reassigned',
  'incident.delegated',
  'incident.priority_updated',
]);
const RESOLVED = new Set(['incident.resolved']);

/**
 * PagerDuty V3 webhooks: one event per request (`{ event: { event_type, data, … } }`), signed in
 * `X-PagerDuty-Signature: v1=<hex>` (several during secret rotation). Dedup key = the PagerDuty
 * incident id; delivery id = `X-Webhook-Id` (repeated on retries), else the event id.
 */
export const pagerdutySource: AlertSource = {
  name: 'pagerduty',
  hmacDefaults: { header: 'X-PagerDuty-Signature', prefix: 'v1=', encoding: 'hex' },
  parse(payload, request) {
    const event = isRecord(payload) ? payload.event : undefined;
    if (!isRecord(event) || typeof event.event_type !== 'string') {
      throw new AlertPayloadError('expected a PagerDuty V3 webhook: a JSON object with "event.event_type"');
    }
    const type = event.event_type;
    if (!FIRING.has(type) && !RESOLVED.has(type)) return [];
    const data = event.data;
    if (!isRecord(data) || !nonEmpty(data.id)) {
      throw new AlertPayloadError(`the PagerDuty ${type} event has no "event.data.id" (the incident)`);
    }
    const status = RESOLVED.has(type) ? 'resolved' : 'firing';
    const service = isRecord(data.service) ? data.service : {};
    const priority = isRecord(data.priority) ? nonEmpty(data.priority.summary) : undefined;
    const labels: Record<string, string> = { pagerduty_event: type };
    const set = (name: string, value: unknown) => {
      const text = nonEmpty(value);
      if (text) labels[name] = text;
    };
    set('service', service.summary);
    set('service_id', service.id);
    set('urgency', data.urgency);
    set('priority', priority);
    set('incident_number', data.number);
    set('incident_key', data.incident_key);
    set('escalation_policy', isRecord(data.escalation_policy) ? data.escalation_policy.summary : undefined);
    if (Array.isArray(data.teams))
      set(
        'teams',
        data.teams
          .map((team) => (isRecord(team) ? nonEmpty(team.summary) : undefined))
          .filter(Boolean)
          .join(','),
      );
    const bridge = isRecord(data.conference_bridge) ? data.conference_bridge : {};
    const alert: NormalisedAlert = {
      source: 'pagerduty',
      dedupKey: nonEmpty(data.id)!,
      status,
      title: cleanTitle(nonEmpty(data.title) ?? nonEmpty(data.summary) ?? '') || `PagerDuty incident ${nonEmpty(data.id)}`,
      severity: severityOf(priority, nonEmpty(data.urgency)),
      labels,
      links: collectLinks([
        ['PagerDuty incident', data.html_url],
        ['PagerDuty service', service.html_url],
        ['Conference bridge', bridge.conference_url],
      ]),
      startsAt: (status === 'firing' && type === 'incident.triggered' ? toInstant(data.created_at) : undefined) ?? toInstant(event.occurred_at) ?? request.receivedAt.toISOString(),
      raw: payload,
      deliveryId: nonEmpty(headerValue(request.headers, 'x-webhook-id')) ?? nonEmpty(event.id),
      // PagerDuty already grouped its alerts into this incident.
      monitorGroup: nonEmpty(data.id),
    };
    return [alert];
  },
};

// PagerDuty priorities (P1–P5) when the account uses them, else urgency (high or low).
function severityOf(priority: string | undefined, urgency: string | undefined): Severity {
  return severityFromPriority(priority) ?? (urgency === 'low' ? 'warning' : 'high');
}
