import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import { HOSTILE, T0, at, newAlert, newIncident } from './testing/fixtures.js';

await describeEachStore('incidents', ({ store, target, sibling }) => {
  it('numbers incidents 1, 2, 3 and finds them by id, number and INC-number', async () => {
    const first = await store().createIncident(newIncident());
    const second = await store().createIncident(newIncident({ id: 'chosen-id', title: 'second' }));
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(second.id).toBe('chosen-id');
    expect((await store().getIncident('2'))?.id).toBe('chosen-id');
    expect((await store().getIncident('inc-2'))?.id).toBe('chosen-id');
    expect((await store().getIncident(' INC-1 '))?.id).toBe(first.id);
    expect(await store().getIncident(first.id)).toEqual(first);
    for (const probe of ['3', 'INC-', '-1', '1.0', '1e1', '99999999999999999999', "1' or '1'='1", '']) {
      expect(await store().getIncident(probe)).toBeUndefined();
    }
  });

  it('hands out distinct numbers to concurrent creations', async () => {
    const created = await Promise.all(Array.from({ length: 30 }, (_, i) => store().createIncident(newIncident({ title: `i${i}` }))));
    const numbers = created.map((incident) => incident.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it.runIf(target.dialect === 'postgres')('never gives two instances the same number', async () => {
    const other = await sibling();
    const created = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? store() : other).createIncident(newIncident({ title: `i${i}` }))));
    expect(new Set(created.map((incident) => incident.number)).size).toBe(40);
  });

  it('finds the open incident of a group, and the newest resolved since a time', async () => {
    const old = await store().createIncident(newIncident({ groupKey: 'g', createdAt: T0 }));
    await store().createIncident(newIncident({ groupKey: 'other', createdAt: at(2000) }));
    expect((await store().findOpenIncident('g'))?.id).toBe(old.id);
    await store().updateIncident(old.id, { status: 'mitigated', mitigatedAt: at(3000) });
    expect((await store().findOpenIncident('g'))?.id).toBe(old.id);
    await store().updateIncident(old.id, { status: 'resolved', resolvedAt: at(5000) });
    expect(await store().findOpenIncident('g')).toBeUndefined();

    const newer = await store().createIncident(newIncident({ groupKey: 'g', createdAt: at(6000) }));
    expect((await store().findOpenIncident('g'))?.id).toBe(newer.id);
    await store().updateIncident(newer.id, { status: 'resolved', resolvedAt: at(7000) });

    expect((await store().findResolvedIncidentSince('g', at(5000)))?.id).toBe(newer.id);
    expect(await store().findResolvedIncidentSince('g', at(7001))).toBeUndefined();
    expect(await store().findResolvedIncidentSince('nope', T0)).toBeUndefined();
  });

  it('reads a group’s open incident, the open one holding its alerts, and the one resolved since, in one call', async () => {
    expect(await store().findGroupIncidents('g', T0)).toEqual({});
    const resolved = await store().createIncident(newIncident({ groupKey: 'g', createdAt: T0 }));
    await store().updateIncident(resolved.id, { status: 'resolved', resolvedAt: at(5000) });
    const open = await store().createIncident(newIncident({ groupKey: 'g', createdAt: at(6000), responders: ['U1'], channels: [{ adapter: 'room', id: 'c1', name: 'inc', role: 'incident' }] }));
    const storm = await store().createIncident(newIncident({ groupKey: 'storm:datadog', createdAt: at(7000) }));
    const { inserted } = await store().insertAlerts([newAlert({ id: 'held', groupKey: 'g' })], { now: T0, dedupWindowMs: 0 });
    await store().setAlertIncident(inserted[0]!.id, storm.id);

    const found = await store().findGroupIncidents('g', at(5000));
    expect(found.open).toEqual(await store().getIncident(open.id));
    expect(found.open).toMatchObject({ responders: ['U1'], channels: [{ id: 'c1', role: 'incident' }] });
    expect(found.holding?.id).toBe(storm.id);
    expect(found.resolved?.id).toBe(resolved.id);
    expect((await store().findGroupIncidents('g', at(5001))).resolved).toBeUndefined();
    // The same as the three reads it replaces.
    expect(found.open?.id).toBe((await store().findOpenIncident('g'))?.id);
    expect(found.holding?.id).toBe((await store().findOpenIncidentHolding('g'))?.id);
  });

  it('keeps at most one open incident per group: a second is a conflict until the first resolves', async () => {
    const first = await store().createIncident(newIncident({ groupKey: 'storm' }));
    await expect(store().createIncident(newIncident({ groupKey: 'storm' }))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    await store().updateIncident(first.id, { status: 'resolved', resolvedAt: at(1000) });
    const second = await store().createIncident(newIncident({ groupKey: 'storm' }));
    // PostgreSQL sequences skip the number the refused insert drew; numbers stay unique and increasing.
    expect(second.number).toBeGreaterThan(first.number);
  });

  it('lists newest first with status filters, limit and offset, and counts the same way', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) {
      made.push(await store().createIncident(newIncident({ title: `i${i}`, createdAt: at(i * 1000) })));
    }
    await store().updateIncident(made[1].id, { status: 'resolved', resolvedAt: at(9000) });
    await store().updateIncident(made[2].id, { status: 'mitigated' });
    const titles = async (filter: Parameters<ReturnType<typeof store>['listIncidents']>[0]) => (await store().listIncidents(filter)).map((incident) => incident.title);
    expect(await titles({})).toEqual(['i4', 'i3', 'i2', 'i1', 'i0']);
    expect(await titles({ status: 'open' })).toEqual(['i4', 'i3', 'i2', 'i0']);
    expect(await titles({ status: 'resolved' })).toEqual(['i1']);
    expect(await titles({ status: 'mitigated' })).toEqual(['i2']);
    expect(await titles({ limit: 2, offset: 1 })).toEqual(['i3', 'i2']);
    expect(await titles({ limit: Number.NaN, offset: -3 })).toEqual(['i4', 'i3', 'i2', 'i1', 'i0']);
    expect(await store().countIncidents({})).toBe(5);
    expect(await store().countIncidents({ status: 'open' })).toBe(4);
    expect(await store().countIncidents({ status: 'investigating' })).toBe(3);
  });

  it('patches only what is given, clears optional fields given as undefined, ignores unknown keys', async () => {
    const incident = await store().createIncident(newIncident({ meeting: { provider: 'jitsi', joinUrl: 'https://meet.jit.si/x', id: 'x' }, resolvedAt: at(1) }));
    const patched = await store().updateIncident(incident.id, {
      title: 'new title',
      issue: { tracker: 'github', id: '7', url: 'https://github.com/o/r/issues/7' },
      resolvedAt: undefined,
      acknowledgedAt: at(2000),
      updatedAt: at(3000),
      ...({ number: 999, id: 'hijack', createdAt: at(9) } as object),
    });
    expect(patched).toMatchObject({
      id: incident.id,
      number: incident.number,
      createdAt: T0,
      title: 'new title',
      acknowledgedAt: at(2000),
      updatedAt: at(3000),
      meeting: incident.meeting,
    });
    expect(patched).not.toHaveProperty('resolvedAt');
    expect(await store().getIncident(incident.id)).toEqual(patched);
    const cleared = await store().updateIncident(incident.id, { meeting: undefined, title: undefined });
    expect(cleared).not.toHaveProperty('meeting');
    expect(cleared.title).toBe('new title');
    // An empty patch changes nothing but the version.
    expect(await store().updateIncident(incident.id, {})).toEqual({ ...cleared, version: cleared.version! + 1 });
  });

  it('applies a patch only at the version it was decided on', async () => {
    const incident = await store().createIncident(newIncident());
    expect(incident.version).toBe(0);
    const first = await store().updateIncident(incident.id, { title: 'one' }, 0);
    expect(first.version).toBe(1);
    await expect(store().updateIncident(incident.id, { title: 'two' }, 0)).rejects.toMatchObject({ code: 'STORE_VERSION_CONFLICT' });
    expect((await store().getIncident(incident.id))?.title).toBe('one');
  });

  it('never loses a responder or a channel added concurrently, and keeps each once', async () => {
    const incident = await store().createIncident(newIncident({ responders: ['alice'] }));
    const users = Array.from({ length: 12 }, (_, i) => `user-${i % 6}`);
    await Promise.all(users.map((user) => store().transaction((tx) => tx.addIncidentResponders(incident.id, [user], at(1)))));
    const channels = Array.from({ length: 8 }, (_, i) => ({ adapter: 'slack', id: `C${i % 4}`, name: `c${i % 4}`, role: 'broadcast' as const }));
    await Promise.all(channels.map((channel) => store().addIncidentChannels(incident.id, [channel], at(2))));
    const stored = await store().getIncident(incident.id);
    expect([...stored!.responders].sort()).toEqual(['alice', 'user-0', 'user-1', 'user-2', 'user-3', 'user-4', 'user-5']);
    expect(stored!.channels.map((c) => c.id).sort()).toEqual(['C0', 'C1', 'C2', 'C3']);
    expect(await store().addIncidentResponders(incident.id, ['alice', 'zoe'], at(3))).toEqual(['zoe']);
  });

  it('reads an incident by id with the same responders and channels, in the same order, as a list does', async () => {
    const incident = await store().createIncident(newIncident());
    await store().addIncidentResponders(incident.id, ['zoe', HOSTILE[0]], at(2));
    await store().addIncidentResponders(incident.id, ['alice'], at(1));
    await store().addIncidentChannels(incident.id, [{ adapter: 'slack', id: 'C2', name: HOSTILE[1], role: 'broadcast' }], at(1));
    await store().addIncidentChannels(incident.id, [{ adapter: 'room', id: 'r1', name: 'inc-1', role: 'incident', url: 'https://sidekick.test/room/r1' }], at(0));
    const byId = await store().getIncident(incident.id);
    // By arrival, then by name (`'` sorts before `z`).
    expect(byId?.responders).toEqual(['alice', HOSTILE[0], 'zoe']);
    expect(byId?.channels).toEqual([
      { adapter: 'slack', id: 'C2', name: HOSTILE[1], role: 'broadcast' },
      { adapter: 'room', id: 'r1', name: 'inc-1', role: 'incident', url: 'https://sidekick.test/room/r1' },
    ]);
    expect(byId).toEqual((await store().listIncidents({})).find((listed) => listed.id === incident.id));
    const bare = await store().createIncident(newIncident({ groupKey: 'other' }));
    expect(await store().getIncident(bare.id)).toMatchObject({ responders: [], channels: [] });
  });

  it('replaces the incident channel of an adapter, keeping the others', async () => {
    const incident = await store().createIncident(
      newIncident({
        channels: [
          { adapter: 'room', id: 'team', name: 'team', role: 'team' },
          { adapter: 'room', id: 'old', name: 'old', role: 'incident' },
        ],
      }),
    );
    await store().addIncidentChannels(incident.id, [{ adapter: 'room', id: 'new', name: 'new', role: 'incident' }], at(1), { adapter: 'room', role: 'incident' });
    expect((await store().getIncident(incident.id))!.channels.map((c) => c.id)).toEqual(['team', 'new']);
  });

  it('fails with STORE_NOT_FOUND when updating an unknown incident', async () => {
    await expect(store().updateIncident('ghost', { title: 'x' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    await expect(store().updateIncident('ghost', {})).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
  });

  it('keeps the timeline oldest first, equal times in insertion order, per incident', async () => {
    const incident = await store().createIncident(newIncident());
    const other = await store().createIncident(newIncident());
    const later = await store().addTimeline({ incidentId: incident.id, at: at(5000), kind: 'status', actor: 'alice', text: 'later' });
    const kinds = ['alert', 'declared', 'meeting', 'choice', 'note'] as const;
    const same = [];
    for (const kind of kinds) {
      same.push(await store().addTimeline({ incidentId: incident.id, at: T0, kind, actor: 'sidekick', text: kind }));
    }
    await store().addTimeline({ incidentId: other.id, at: T0, kind: 'note', actor: 'x', text: 'elsewhere' });
    expect((await store().listTimeline(incident.id)).map((entry) => entry.text)).toEqual([...kinds, 'later']);
    expect(later).not.toHaveProperty('data');
    expect(await store().listTimeline('nobody')).toEqual([]);
  });

  it('reads the lines of one kind in a time window [since, until), oldest first', async () => {
    const incident = await store().createIncident(newIncident());
    const other = await store().createIncident(newIncident());
    for (const [ms, kind, text] of [
      [0, 'alert', 'before'],
      [1000, 'alert', 'first'],
      [1000, 'note', 'a note'],
      [2000, 'alert', 'second'],
      [3000, 'alert', 'at until'],
    ] as const) {
      await store().addTimeline({ incidentId: incident.id, at: at(ms), kind, actor: 'sidekick', text });
    }
    await store().addTimeline({ incidentId: other.id, at: at(1500), kind: 'alert', actor: 'sidekick', text: 'elsewhere' });
    const window = await store().listTimelineWindow(incident.id, 'alert', at(1000), at(3000));
    expect(window.map((entry) => entry.text)).toEqual(['first', 'second']);
    expect(window[0]).toMatchObject({ incidentId: incident.id, kind: 'alert', at: at(1000) });
  });

  it('adds a timeline entry with a given id once, returning the first on a repeat', async () => {
    const incident = await store().createIncident(newIncident());
    const first = await store().addTimeline({
      id: 'task-1:posted',
      incidentId: incident.id,
      at: T0,
      kind: 'message',
      actor: 'sidekick',
      text: 'first',
      data: { nested: { list: [1, 'two', null] } },
    });
    const repeat = await store().addTimeline({ id: 'task-1:posted', incidentId: incident.id, at: at(1), kind: 'message', actor: 'x', text: 'second' });
    expect(repeat).toEqual(first);
    expect(await store().listTimeline(incident.id)).toHaveLength(1);
  });

  it('refuses timeline entries for an incident that does not exist', async () => {
    await expect(store().addTimeline({ incidentId: 'ghost', at: T0, kind: 'note', actor: 'x', text: 'y' })).rejects.toThrow();
  });
});
