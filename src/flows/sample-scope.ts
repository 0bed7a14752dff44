import type { NormalisedAlert } from '../alerts/alert.js';
import type { FlowDefinition } from './flow-schema.js';
import { incidentUrl } from '../incidents/incident-links.js';

/**
 * The template scope a flow would see for its sample alert, used by `validate` (strict variable
 * checks), the editor's autocomplete and previews. Box outputs are left open: their shape is
 * known only at run time, so `boxes.*` is left empty and not checked against it.
 */
export function sampleScope(flow: FlowDefinition, alert: NormalisedAlert): Record<string, unknown> {
  return {
    alert: { ...alert, id: 'sample', receivedAt: alert.startsAt, dedup_key: alert.dedupKey, starts_at: alert.startsAt },
    incident: {
      id: 'sample',
      number: 1,
      title: alert.title,
      severity: alert.severity,
      status: 'investigating',
      labels: alert.labels,
      responders: [],
      channels: [],
      url: incidentUrl('http://127.0.0.1:3000', 'sample'),
      meeting_url: 'https://meet.jit.si/sample',
      createdAt: alert.startsAt,
    },
    vars: flow.vars,
    boxes: {},
    flow: { id: flow.id, name: flow.name ?? flow.id },
    now: alert.startsAt,
  };
}
