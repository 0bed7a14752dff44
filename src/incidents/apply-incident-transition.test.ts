import { expect, it } from 'vitest';
import { describeEachStore } from '../store/testing/describe-each-store.js';
import { newIncident } from '../store/testing/fixtures.js';
import { LiveEvents } from '../util/live-events.js';
import { parseFlow } from '../flows/parse-flow.js';
import { applyIncidentTransition } from './apply-incident-transition.js';

const FLOW = parseFlow(
  ['id: two-starts', 'trigger: { on: alert }', 'boxes:', '  - id: a', '    type: post', '    text: one', '  - id: b', '    type: post', '    text: two', ''].join('\n'),
  'two-starts.yaml',
).flow!;

await describeEachStore('apply-incident-transition', ({ store }) => {
  const live = new LiveEvents();
  const now = '2026-01-01T00:00:00.000Z';
  const later = new Date(Date.parse(now) + 60_000).toISOString();
  let ids = 0;
  const newId = () => `id-${++ids}`;

  it('writes the runs a transition starts, their start tasks and their task jobs in the incident’s own commit, once per trigger', async () => {
    const { id: _id, ...incident } = newIncident({ createdAt: now, updatedAt: now });
    const applied = await applyIncidentTransition(store(), live, { create: { ...incident, id: 'inc-run' }, runs: [{ flow: FLOW, triggerKey: 'alert:a1' }] }, now, newId);
    const runs = await store().listRuns({ incidentId: applied.incident.id });
    expect(runs.map((run) => ({ flowId: run.flowId, triggerKey: run.triggerKey, status: run.status }))).toEqual([{ flowId: 'two-starts', triggerKey: 'alert:a1', status: 'running' }]);
    const tasks = await store().listTasks({ runId: runs[0]!.id });
    expect(tasks.map((task) => [task.boxId, task.status])).toEqual([
      ['a', 'ready'],
      ['b', 'ready'],
    ]);
    const jobs = await store().claimJobs('test', 100, later, new Date(Date.parse(later) + 60_000).toISOString());
    expect(jobs.filter((job) => job.kind === 'task').map((job) => job.payload.taskId)).toEqual(tasks.map((task) => task.id));

    // The same trigger again (a retried decision): no second run, no further tasks or jobs.
    await applyIncidentTransition(store(), live, { incidentId: applied.incident.id, runs: [{ flow: FLOW, triggerKey: 'alert:a1' }] }, now, newId);
    expect(await store().listRuns({ incidentId: applied.incident.id })).toHaveLength(1);
    expect(await store().listTasks({ incidentId: applied.incident.id })).toHaveLength(2);
    expect((await store().countJobs()).ready).toBe(0);
  });

  it('leaves neither run nor task job when the commit fails', async () => {
    const incident = await store().createIncident(newIncident());
    // The patch goes last and is refused (stale version): everything before it is rolled back.
    await expect(
      applyIncidentTransition(store(), live, { patch: { id: incident.id, version: (incident.version ?? 1) + 5, changes: { title: 'x' } }, runs: [{ flow: FLOW, triggerKey: 'alert:a2' }] }, now, newId),
    ).rejects.toMatchObject({ code: 'STORE_VERSION_CONFLICT' });
    expect(await store().listRuns({ incidentId: incident.id })).toEqual([]);
    expect(await store().listTasks({ incidentId: incident.id })).toEqual([]);
    expect(await store().countJobs()).toMatchObject({ ready: 0, leased: 0 });
  });
});
