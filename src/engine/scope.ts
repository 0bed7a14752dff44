import type { Alert } from '../alerts/alert.js';
import type { Incident } from '../incidents/incident.js';
import { incidentUrl } from '../incidents/incident-links.js';
import type { Run, Task } from './run.js';

/**
 * The data templates see. Box outputs are derived from the run's finished tasks (the latest visit
 * of each box wins) rather than stored on the run, so parallel branches never overwrite each other.
 */
export function buildScope(input: {
  run: Run;
  incident: Incident;
  alert?: Alert;
  tasks: Task[];
  now: Date;
  publicUrl: string;
}): Record<string, unknown> {
  const { run, incident, alert, tasks } = input;
  const boxes: Record<string, unknown> = {};
  const vars: Record<string, unknown> = { ...run.flow.vars };
  const finished = tasks
    .filter((task) => task.status === 'done')
    .sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? ''));
  for (const task of finished) {
    boxes[task.boxId.replace(/-/g, '_')] = task.output ?? {};
    boxes[task.boxId] = task.output ?? {};
    const set = (task.output as { vars?: Record<string, unknown> } | undefined)?.vars;
    if (set && typeof set === 'object') Object.assign(vars, set);
  }
  return {
    alert: alert ? alertScope(alert) : undefined,
    incident: {
      ...incident,
      url: incidentUrl(input.publicUrl, incident.id),
      meeting_url: incident.meeting?.joinUrl,
    },
    vars,
    boxes,
    flow: { id: run.flow.id, name: run.flow.name ?? run.flow.id },
    now: input.now.toISOString(),
  };
}

function alertScope(alert: Alert) {
  return { ...alert, dedup_key: alert.dedupKey, starts_at: alert.startsAt };
}
