import type { Incident } from '../../incidents/incident.js';
import type { Run, Task } from '../../model/run.js';
import type { FlowDefinition } from '../../flows/flow-schema.js';
import type { NewAlert } from '../store.js';

/** A fixed instant tests start from (the FakeClock's default). */
export const T0 = '2026-01-01T04:00:00.000Z';

/** `T0` plus `ms`, as ISO. */
export function at(ms: number, from: string = T0): string {
  return new Date(Date.parse(from) + ms).toISOString();
}

/** Hostile strings that must come back byte-identical wherever text is stored. */
export const HOSTILE = [
  "'; drop table alerts; --",
  '$(rm -rf /) `id` ; | && {{ 7*7 }} {% raw %}',
  '"quoted" \\backslash\\ \n newline \t tab \r\n',
  'ünïcödé 日本語 עברית 🔥🧯 \u202e RTL override \u200b zero width',
  '\ud83d\ude00 surrogate pair, combining e\u0301',
  '<script>alert(1)</script>',
  ' leading and trailing spaces ',
  '',
];

/** A NewAlert with sensible defaults. */
export function newAlert(overrides: Partial<NewAlert> & { id: string }): NewAlert {
  return {
    source: 'datadog',
    dedupKey: 'mysql-replication',
    status: 'firing',
    title: 'MySQL replication delay high',
    severity: 'high',
    labels: { host: 'db-1' },
    links: [{ title: 'monitor', url: 'https://app.datadoghq.com/monitors/1' }],
    startsAt: T0,
    raw: { id: overrides.id, host: 'db-1' },
    receivedAt: T0,
    groupKey: 'datadog:mysql-replication',
    ...overrides,
  };
}

let incidentCount = 0;

/** An incident to create, with sensible defaults (its own group key: one group has one open incident at most). */
export function newIncident(overrides: Partial<Omit<Incident, 'number'>> = {}): Omit<Incident, 'id' | 'number'> & { id?: string } {
  return {
    title: 'MySQL replication delay high',
    severity: 'high',
    status: 'investigating',
    groupKey: `datadog:mysql-replication-${++incidentCount}`,
    labels: { host: 'db-1' },
    createdAt: T0,
    updatedAt: T0,
    responders: [],
    channels: [],
    ...overrides,
  };
}

/** A minimal flow definition, stored opaquely by runs. */
export const FLOW = { id: 'mysql', name: 'MySQL', boxes: [], arrows: [] } as unknown as FlowDefinition;

/** A run to create. */
export function newRun(incidentId: string, overrides: Partial<Omit<Run, 'createdAt' | 'updatedAt'>> = {}): Omit<Run, 'createdAt' | 'updatedAt'> {
  return {
    id: `run-${incidentId}-${overrides.triggerKey ?? 'declared'}`,
    flowId: 'mysql',
    flowHash: 'sha256:abc',
    flow: FLOW,
    incidentId,
    triggerKey: 'declared',
    status: 'running',
    ...overrides,
  };
}

/** A task to create. */
export function newTask(
  run: { id: string; incidentId: string },
  overrides: Partial<Omit<Task, 'createdAt' | 'updatedAt' | 'version'>> & { id: string },
): Omit<Task, 'createdAt' | 'updatedAt' | 'version'> {
  return { runId: run.id, incidentId: run.incidentId, boxId: 'post', status: 'ready', attempts: 0, ...overrides };
}
