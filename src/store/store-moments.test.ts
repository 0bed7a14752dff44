import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import { HOSTILE, T0, at, newIncident } from './testing/fixtures.js';
import { messageKeyOf } from './queries/moments.js';

await describeEachStore('moments', ({ store }) => {
  it('marks a message once per kind, lists in marking order, and unmarks', async () => {
    const a = await store().createIncident(newIncident());
    const message = { adapter: 'room', channel: 'c1', id: 'm1', author: 'alice', at: T0 };
    const first = await store().addMoment({ id: 'k1', incidentId: a.id, kind: 'decision', text: 'Fail over to db-8', message, markedBy: 'bob', markedAt: at(1) });
    expect(first).toEqual({ id: 'k1', incidentId: a.id, kind: 'decision', text: 'Fail over to db-8', message, markedBy: 'bob', markedAt: at(1) });
    // The same message marked again (a second 📌, a retried event) is the first mark.
    expect(await store().addMoment({ ...first, id: 'k2', markedBy: 'carol', markedAt: at(2) })).toEqual(first);
    // The same message may also be a key moment; typed-in decisions have no message.
    await store().addMoment({ id: 'k3', incidentId: a.id, kind: 'key-moment', text: 'Fail over to db-8', message, markedBy: 'bob', markedAt: at(3) });
    const typed = await store().addMoment({ id: 'k4', incidentId: a.id, kind: 'decision', text: 'Keep writes paused', markedBy: 'bob', markedAt: at(4) });
    expect(typed).not.toHaveProperty('message');
    expect((await store().listMoments(a.id)).map((m) => `${m.id}:${m.kind}`)).toEqual(['k1:decision', 'k3:key-moment', 'k4:decision']);

    expect(await store().removeMoment(a.id, 'decision', messageKeyOf(first))).toEqual(first);
    expect(await store().removeMoment(a.id, 'decision', messageKeyOf(first))).toBeUndefined();
    expect((await store().listMoments(a.id)).map((m) => m.id)).toEqual(['k3', 'k4']);
    expect(await store().listMoments('nope')).toEqual([]);
  });

  it('stores hostile text byte-identical', async () => {
    const incident = await store().createIncident(newIncident());
    for (const [k, text] of HOSTILE.entries()) {
      const message = { adapter: 'slack', channel: 'C1', id: `${k}.0001`, author: text, at: T0 };
      await store().addMoment({ id: `h${k}`, incidentId: incident.id, kind: 'decision', text, message, markedBy: text || 'x', markedAt: T0 });
    }
    const listed = await store().listMoments(incident.id);
    expect(listed.map((m) => m.text)).toEqual([...HOSTILE]);
  });
});
