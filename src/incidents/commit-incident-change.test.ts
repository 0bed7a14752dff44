import { expect, it } from 'vitest';
import { describeEachStore } from '../store/testing/describe-each-store.js';
import { newIncident } from '../store/testing/fixtures.js';
import { LiveEvents } from '../util/live-events.js';
import { commitIncidentChange } from './apply-incident-transition.js';
import { decideChannels, decideResponder, decideStatus } from './decide-change.js';

await describeEachStore('incident-changes', ({ store, target, sibling }) => {
  const live = new LiveEvents();
  const now = () => new Date().toISOString();

  it('never loses a responder when many click at once (two instances on PostgreSQL)', async () => {
    const incident = await store().createIncident(newIncident());
    const other = target.dialect === 'postgres' ? await sibling() : store();
    const users = Array.from({ length: 10 }, (_, i) => ({ userId: `U${i}`, userName: `user ${i}` }));
    // Each user clicks twice, on alternating instances.
    await Promise.all(
      [...users, ...users].map((user, i) =>
        commitIncidentChange(
          i % 2 ? other : store(),
          live,
          now,
          () => (i % 2 ? other : store()).getIncident(incident.id).then((found) => found!),
          (state, at) => decideResponder(state, user, at),
        ),
      ),
    );
    const stored = (await store().getIncident(incident.id))!;
    expect([...stored.responders].sort()).toEqual(users.map((user) => user.userId).sort());
    expect(stored.acknowledgedAt).toBeDefined();
    const joined = (await store().listTimeline(incident.id)).filter((entry) => entry.kind === 'responder');
    expect(joined).toHaveLength(10);
  });

  it('keeps both channels that two branches add at once, and resolves once with one event', async () => {
    const incident = await store().createIncident(newIncident());
    const load = () =>
      store()
        .getIncident(incident.id)
        .then((found) => found!);
    await Promise.all(['C1', 'C2'].map((id) => commitIncidentChange(store(), live, now, load, (state) => decideChannels(state, [{ adapter: 'room', id, name: id, role: 'broadcast' }]))));
    expect((await load()).channels.map((c) => c.id).sort()).toEqual(['C1', 'C2']);
    await Promise.all([1, 2, 3].map(() => commitIncidentChange(store(), live, now, load, (state, at) => decideStatus(state, { status: 'resolved', actor: 'alice' }, at))));
    const statuses = (await store().listTimeline(incident.id)).filter((entry) => entry.kind === 'status');
    expect(statuses.map((entry) => entry.text)).toEqual(['Status: investigating → resolved']);
    const claimed = await store().claimJobs('test', 100, new Date(Date.now() + 1000).toISOString(), new Date(Date.now() + 60_000).toISOString());
    expect(claimed.filter((job) => job.kind === 'event').map((job) => job.payload.event)).toEqual(['resolved']);
  });
});
