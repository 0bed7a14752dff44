import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import { T0, at, newAlert, newIncident } from './testing/fixtures.js';

await describeEachStore('queued alerts', ({ store }) => {
  /** Stores alerts one call each (as separate webhooks would), all in group `g`. */
  async function storm(list: { id: string; status?: 'firing' | 'resolved'; runAt?: string }[]) {
    for (const { id, status, runAt } of list) {
      await store().insertAlerts([newAlert({ id, status: status ?? 'firing', groupKey: 'g', raw: { id } })], { now: runAt ?? T0, dedupWindowMs: 0 });
    }
  }

  it('lists the unbroken run of firing alerts queued behind the running job, oldest first, and stops at a resolved one', async () => {
    await storm([{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }, { id: 'a4', status: 'resolved' }, { id: 'a5' }]);
    const [head] = await store().claimJobs('me', 1, T0, at(30_000));
    expect(head.payload).toEqual({ alertId: 'a1' });
    const queued = await store().listQueuedAlerts('g', head.id, T0, 100);
    expect(queued.map((each) => each.alert.id)).toEqual(['a2', 'a3']);
    const stored = (await store().getAlert('a2'))!;
    expect(queued[0].alert).toEqual({ id: stored.id, source: stored.source, status: stored.status, title: stored.title, severity: stored.severity });
    expect(await store().listQueuedAlerts('g', head.id, T0, 1)).toHaveLength(1);
    expect(await store().listQueuedAlerts('other', head.id, T0, 100)).toEqual([]);
    expect(await store().listQueuedAlerts('g', 'not-a-job', T0, 100)).toEqual([]);
  });

  it('stops at a job that is not due yet, was tried before, or is leased', async () => {
    await storm([{ id: 'a1' }, { id: 'a2' }, { id: 'later', runAt: at(60_000) }, { id: 'a4' }]);
    const [head] = await store().claimJobs('me', 1, T0, at(30_000));
    expect((await store().listQueuedAlerts('g', head.id, T0, 100)).map((each) => each.alert.id)).toEqual(['a2']);
    expect((await store().listQueuedAlerts('g', head.id, at(60_000), 100)).map((each) => each.alert.id)).toEqual(['a2', 'later', 'a4']);
  });

  it('joins them in one go: alerts linked, one timeline line each, their jobs gone, the queue moves on', async () => {
    await storm([{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }, { id: 'r4', status: 'resolved' }]);
    const incident = await store().createIncident(newIncident({ groupKey: 'g' }));
    const [head] = await store().claimJobs('me', 1, T0, at(30_000));
    const entries = await store().transaction(async (tx) => {
      const queued = await tx.listQueuedAlerts('g', head.id, T0, 100);
      return tx.joinQueuedAlerts(
        incident.id,
        queued.map(({ jobId, alert }) => ({ jobId, alertId: alert.id, entry: { at: T0, kind: 'alert', actor: 'datadog', text: `joined ${alert.id}`, data: { alertId: alert.id, joined: true } } })),
      );
    });
    expect(entries.map((entry) => [entry.incidentId, entry.text]).sort()).toEqual([
      [incident.id, 'joined a2'],
      [incident.id, 'joined a3'],
    ]);
    expect((await store().listTimeline(incident.id)).map((entry) => entry.text)).toEqual(['joined a2', 'joined a3']);
    expect((await store().listAlerts({ incidentId: incident.id })).map((alert) => alert.id)).toEqual(['a2', 'a3']);
    expect((await store().getAlert('r4'))!.incidentId).toBeUndefined();
    // The running job and the resolved alert's are what is left.
    expect(await store().countJobs()).toMatchObject({ ready: 1, leased: 1 });
    await store().completeJob(head.id, 'me');
    const [next] = await store().claimJobs('me', 1, T0, at(30_000));
    expect(next.payload).toEqual({ alertId: 'r4' });
    expect(await store().joinQueuedAlerts(incident.id, [])).toEqual([]);
  });
});
