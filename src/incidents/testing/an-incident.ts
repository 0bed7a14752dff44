import type { Incident } from '../incident.js';

/** An open incident for tests: the fields every incident has, with `over` changing the ones a test is about. */
export function anIncident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    number: 1,
    title: 't',
    severity: 'high',
    status: 'investigating',
    groupKey: 'g',
    labels: {},
    createdAt: '2026-01-01T04:00:00Z',
    updatedAt: '2026-01-01T04:00:00Z',
    responders: [],
    channels: [],
    ...over,
  };
}
