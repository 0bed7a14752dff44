import type { Alert, NormalisedAlert } from '../alerts/alert.js';
import type { Incident } from '../incidents/incident.js';
import type { Task } from '../model/run.js';
import { incidentUrl } from '../incidents/incident-links.js';

/** The flow fields templates see. */
export interface ScopeFlow {
  id: string;
  name?: string;
  vars: Record<string, unknown>;
}

/** Where links point when there is no configured public URL yet (validate, the editor's previews). */
const SAMPLE_PUBLIC_URL = 'http://127.0.0.1:3000';

/**
 * The data templates see: alert, incident, vars, boxes, flow, now. The one place that decides it,
 * for a run, for `validate` and for the editor's previews alike, so a value that works at run time
 * is never shown as missing before. Box outputs are derived from the run's finished tasks (the
 * latest visit of each box wins) rather than stored on the run, so parallel branches never
 * overwrite each other.
 */
export function buildScope(input: { flow: ScopeFlow; incident: Incident; alert?: Alert; tasks: readonly Task[]; now: Date; publicUrl: string }): Record<string, unknown> {
  const { flow, incident, alert, tasks } = input;
  const boxes: Record<string, unknown> = {};
  const vars: Record<string, unknown> = { ...flow.vars };
  const finished = tasks.filter((task) => task.status === 'done').sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? ''));
  for (const task of finished) {
    boxes[task.boxId.replace(/-/g, '_')] = task.output ?? {};
    boxes[task.boxId] = task.output ?? {};
    const set = (task.output as { vars?: Record<string, unknown> } | undefined)?.vars;
    if (set && typeof set === 'object') Object.assign(vars, set);
  }
  return {
    alert: alert ? { ...alert, dedup_key: alert.dedupKey, starts_at: alert.startsAt } : undefined,
    incident: {
      ...incident,
      url: incidentUrl(input.publicUrl, incident.id),
      meeting_url: incident.meeting?.joinUrl,
    },
    vars,
    boxes,
    flow: { id: flow.id, name: flow.name ?? flow.id },
    now: input.now.toISOString(),
  };
}

/**
 * The scope a flow would see for a sample alert: the incident that alert would open, with a
 * meeting, before any box ran. Used by `validate` (strict variable checks), the editor's
 * autocomplete and template previews. `boxes.*` is empty: box outputs exist only at run time.
 */
export function sampleScope(flow: ScopeFlow, alert: NormalisedAlert, publicUrl = SAMPLE_PUBLIC_URL): Record<string, unknown> {
  const started = new Date(alert.startsAt);
  const at = Number.isNaN(started.getTime()) ? new Date(0) : started;
  const incident: Incident = {
    id: 'sample',
    number: 1,
    title: alert.title,
    severity: alert.severity,
    status: 'investigating',
    groupKey: alert.dedupKey,
    labels: alert.labels,
    createdAt: alert.startsAt,
    updatedAt: alert.startsAt,
    responders: [],
    channels: [],
    meeting: { provider: 'jitsi', id: 'sample', joinUrl: 'https://meet.jit.si/sample' },
    version: 1,
    source: alert.source,
  };
  return buildScope({ flow, incident, alert: { ...alert, id: 'sample', receivedAt: alert.startsAt, incidentId: incident.id }, tasks: [], now: at, publicUrl });
}
