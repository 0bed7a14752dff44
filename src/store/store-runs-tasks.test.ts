import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import { FLOW, HOSTILE, T0, at, newIncident, newRun, newTask } from './testing/fixtures.js';

await describeEachStore('runs_tasks', ({ store, target, sibling }) => {
  async function incidentId(): Promise<string> {
    return (await store().createIncident(newIncident())).id;
  }

  it('creates a run once per (flow, incident, trigger) and returns the existing one after', async () => {
    const incident = await incidentId();
    const first = await store().createRun(newRun(incident, { id: 'r1', alertId: 'a1' }), T0);
    expect(first.created).toBe(true);
    expect(first.run).toMatchObject({ id: 'r1', flow: FLOW, alertId: 'a1', createdAt: T0, updatedAt: T0 });
    const again = await store().createRun(newRun(incident, { id: 'r2' }), at(1000));
    expect(again).toEqual({ run: first.run, created: false });
    const otherTrigger = await store().createRun(newRun(incident, { id: 'r3', triggerKey: 'resolved' }), T0);
    expect(otherTrigger.created).toBe(true);
    expect(await store().getRun('r2')).toBeUndefined();
  });

  it('starts one run when two calls race for one trigger', async () => {
    const incident = await incidentId();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store().createRun(newRun(incident, { id: `race-${i}` }), T0)));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.run.id)).size).toBe(1);
  });

  it.runIf(target.dialect === 'postgres')('starts one run when two instances race for one trigger', async () => {
    const incident = await incidentId();
    const other = await sibling();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store()).createRun(newRun(incident, { id: `race-${i}` }), T0)));
    expect(results.filter((result) => result.created)).toHaveLength(1);
  });

  it('refuses a run id reused for another trigger with STORE_CONFLICT', async () => {
    const incident = await incidentId();
    await store().createRun(newRun(incident, { id: 'same' }), T0);
    await expect(store().createRun(newRun(incident, { id: 'same', triggerKey: 'other' }), T0)).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
    });
  });

  it('lists runs by incident and status, and updates their status', async () => {
    const a = await incidentId();
    const b = await incidentId();
    await store().createRun(newRun(a, { id: 'ra1', triggerKey: 't1' }), T0);
    await store().createRun(newRun(a, { id: 'ra2', triggerKey: 't2' }), at(1));
    await store().createRun(newRun(b, { id: 'rb1' }), at(2));
    await store().updateRunStatus('ra1', 'done', at(10));
    expect((await store().listRuns({ incidentId: a })).map((run) => run.id)).toEqual(['ra1', 'ra2']);
    expect((await store().listRuns({ status: 'running' })).map((run) => run.id)).toEqual(['ra2', 'rb1']);
    expect((await store().listRuns({ incidentId: a, status: 'done' })).map((run) => run.id)).toEqual(['ra1']);
    expect(await store().getRun('ra1')).toMatchObject({ status: 'done', updatedAt: at(10), createdAt: T0 });
  });

  it('creates tasks at version 1, oldest first, and returns the stored task for a repeated id', async () => {
    const incident = await incidentId();
    const { run } = await store().createRun(newRun(incident), T0);
    const state = { path: ['start', HOSTILE[1]], count: 0, nothing: null };
    const first = await store().createTask(newTask(run, { id: 't1', state, waitUntil: at(60_000), waitFor: 'resolved' }), T0);
    expect(first).toMatchObject({ id: 't1', version: 1, state, waitUntil: at(60_000), waitFor: 'resolved', createdAt: T0 });
    expect(first).not.toHaveProperty('output');
    const repeat = await store().createTask(newTask(run, { id: 't1', boxId: 'other' }), at(5));
    expect(repeat).toEqual(first);
    await store().createTask(newTask(run, { id: 't0', boxId: 'second' }), T0);
    expect((await store().listTasks({ runId: run.id })).map((task) => task.id)).toEqual(['t1', 't0']);
  });

  it('filters tasks by run, incident and statuses; an empty status list matches nothing', async () => {
    const incident = await incidentId();
    const { run } = await store().createRun(newRun(incident), T0);
    await store().createTask(newTask(run, { id: 'ready' }), T0);
    await store().createTask(newTask(run, { id: 'waiting', status: 'waiting' }), T0);
    await store().createTask(newTask(run, { id: 'done', status: 'done' }), T0);
    const ids = async (filter: Parameters<ReturnType<typeof store>['listTasks']>[0]) => (await store().listTasks(filter)).map((task) => task.id);
    expect(await ids({ incidentId: incident, status: ['waiting', 'ready'] })).toEqual(['ready', 'waiting']);
    expect(await ids({ status: [] })).toEqual([]);
    expect(await ids({ runId: 'nope' })).toEqual([]);
    expect(await ids({})).toEqual(['ready', 'waiting', 'done']);
  });

  it('updates a task only at the expected version and bumps it; clears fields given as undefined', async () => {
    const incident = await incidentId();
    const { run } = await store().createRun(newRun(incident), T0);
    const task = await store().createTask(newTask(run, { id: 't', status: 'waiting', waitUntil: at(1000) }), T0);
    const updated = await store().updateTask(task.id, 1, { status: 'done', output: { ok: null }, port: 'next', waitUntil: undefined, completedAt: at(2000), attempts: 2 }, at(2000));
    expect(updated).toMatchObject({ version: 2, status: 'done', output: { ok: null }, port: 'next', attempts: 2, updatedAt: at(2000) });
    expect(updated).not.toHaveProperty('waitUntil');
    expect(await store().getTask('t')).toEqual(updated);
    expect(await store().updateTask('t', 1, { status: 'failed' }, at(3000))).toBeUndefined();
    expect((await store().getTask('t'))?.status).toBe('done');
    expect(await store().updateTask('ghost', 1, { status: 'failed' }, T0)).toBeUndefined();
  });

  it('lets exactly one of many concurrent updates at one version win (a double click)', async () => {
    const incident = await incidentId();
    const { run } = await store().createRun(newRun(incident), T0);
    await store().createTask(newTask(run, { id: 't', status: 'waiting' }), T0);
    const stores = target.dialect === 'postgres' ? [store(), await sibling()] : [store()];
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % stores.length].updateTask('t', 1, { status: 'running', state: { clicked: i } }, at(i))));
    const winners = results.filter((result) => result !== undefined);
    expect(winners).toHaveLength(1);
    expect(await store().getTask('t')).toEqual(winners[0]);
  });

  it('refuses tasks of a run that does not exist', async () => {
    await expect(store().createTask(newTask({ id: 'ghost', incidentId: 'x' }, { id: 't' }), T0)).rejects.toThrow();
  });

  it('reads a task with its run and all the run’s tasks in order; undefined for an unknown task', async () => {
    const incident = await incidentId();
    const { run } = await store().createRun(newRun(incident, { id: 'rt1' }), T0);
    const other = (await store().createRun(newRun(incident, { id: 'rt2', triggerKey: 'other' }), T0)).run;
    await store().createTask(newTask(run, { id: 'first', boxId: 'a' }), T0);
    await store().createTask(newTask(other, { id: 'elsewhere', boxId: 'a' }), T0);
    await store().createTask(newTask(run, { id: 'second', boxId: 'b', status: 'done' }), at(1));
    const loaded = await store().getTaskRun('second');
    expect(loaded?.task).toMatchObject({ id: 'second', boxId: 'b', status: 'done' });
    expect(loaded?.run).toMatchObject({ id: 'rt1', flow: FLOW, status: 'running' });
    expect(loaded?.tasks.map((task) => task.id)).toEqual(['first', 'second']);
    // The same flow text read again is the same definition.
    expect((await store().getTaskRun('first'))?.run.flow).toEqual(FLOW);
    expect(await store().getTaskRun('nope')).toBeUndefined();
  });

  it('finishes a run only when none of its tasks is ready, running or waiting', async () => {
    const incident = await incidentId();
    const { run } = await store().createRun(newRun(incident, { id: 'rf1' }), T0);
    const task = await store().createTask(newTask(run, { id: 'only', status: 'waiting' }), T0);
    expect(await store().finishRunIfIdle(run.id, at(5))).toBe(false);
    expect((await store().getRun(run.id))?.status).toBe('running');
    await store().updateTask(task.id, task.version, { status: 'done' }, at(6));
    expect(await store().finishRunIfIdle(run.id, at(7))).toBe(true);
    expect(await store().getRun(run.id)).toMatchObject({ status: 'done', updatedAt: at(7) });
  });
});
