import type { AlertSource } from '../alert-source.js';
import { AlertPayloadError } from '../errors.js';
import { isRecord, nonEmpty, textOf } from '../mapping/json-value.js';
import { toInstant } from '../mapping/instant.js';
import { severityFromPriority } from '../mapping/severity.js';
import { labelsFromTags } from '../mapping/tags.js';
import { cleanTitle } from '../mapping/title.js';

// Actions that change whether the problem is happening. Notes, tags, details and recipients
// are answered 2xx and not recorded (they are not alerts).
const FIRING = new Set(['Create', 'Acknowledge', 'UnAcknowledge', 'Escalate', 'EscalateNext', 'UpdatePriority', 'AssignOwnership', 'TakeOwnership']);
const RESOLVED = new Set(['Close', 'Delete']);

/**
 * Opsgenie's outgoing webhook integration: `{ action, alert: { alertId, alias, message, … } }`.
 * Dedup key = the alias (Opsgenie's own dedup key), else the alert id. Opsgenie does not sign
 * its webhooks: configure a header secret.
 */
export const opsgenieSource: AlertSource = {
  name: 'opsgenie',
  parse(payload, request) {
    if (!isRecord(payload) || typeof payload.action !== 'string' || !isRecord(payload.alert)) {
      throw new AlertPayloadError('expected an Opsgenie webhook: a JSON object with "action" and "alert"');
    }
    const { action, alert } = payload;
    if (!FIRING.has(action) && !RESOLVED.has(action)) return [];
    const alertId = nonEmpty(alert.alertId);
    const dedupKey = nonEmpty(alert.alias) ?? alertId;
    if (!dedupKey) throw new AlertPayloadError('the Opsgenie alert has neither "alias" nor "alertId"');
    const status = RESOLVED.has(action) ? 'resolved' : 'firing';
    const priority = nonEmpty(alert.priority);
    const labels: Record<string, string> = { ...labelsFromTags(alert.tags), opsgenie_action: action };
    const set = (name: string, value: unknown) => {
      const text = nonEmpty(value);
      if (text && labels[name] === undefined) labels[name] = text;
    };
    set('entity', alert.entity);
    set('source', alert.source);
    set('priority', priority);
    set('tiny_id', alert.tinyId);
    set('opsgenie_alert_id', alertId);
    if (Array.isArray(alert.teams))
      set(
        'teams',
        alert.teams
          .map((team) => textOf(team))
          .filter(Boolean)
          .join(','),
      );
    // `updatedAt` is in nanoseconds (beyond exact JS numbers, but ordered and repeatable),
    // `createdAt` in milliseconds.
    const when = status === 'resolved' || action !== 'Create' ? (toInstant(alert.updatedAt) ?? toInstant(alert.createdAt)) : toInstant(alert.createdAt);
    const updated = textOf(alert.updatedAt);
    return [
      {
        source: 'opsgenie',
        dedupKey,
        status,
        title: cleanTitle(nonEmpty(alert.message) ?? '') || `Opsgenie alert ${dedupKey}`,
        // Opsgenie's default priority is P3.
        severity: severityFromPriority(priority) ?? 'warning',
        labels,
        links: [],
        startsAt: when ?? request.receivedAt.toISOString(),
        raw: payload,
        // Opsgenie sends no delivery id; one action on one alert at one instant is one delivery.
        deliveryId: alertId && updated ? `${alertId}:${action}:${updated}` : undefined,
        // The alias is Opsgenie's own grouping; an action carrying only the alert id can only
        // join the incident that alert is in (see joinsOnlyByAlertId).
        monitorGroup: nonEmpty(alert.alias),
      },
    ];
  },
};

/**
 * The Opsgenie alert id of an action that carries no alias (an acknowledgement or close of an
 * alert created elsewhere): such an action joins the open incident holding that alert, or is
 * ignored — it never opens one. Undefined for every other alert.
 */
export function joinsOnlyByAlertId(alert: { source: string; labels: Record<string, string>; raw: unknown }): string | undefined {
  if (alert.source !== 'opsgenie' || alert.labels.opsgenie_action === 'Create') return undefined;
  const raw = isRecord(alert.raw) && isRecord(alert.raw.alert) ? alert.raw.alert : undefined;
  return raw && !nonEmpty(raw.alias) ? alert.labels.opsgenie_alert_id : undefined;
}
