import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import { HOSTILE, T0, at, newIncident } from './testing/fixtures.js';

await describeEachStore('follow-ups', ({ store }) => {
  it('adds follow-ups once per id and lists them per incident in the order they were added', async () => {
    const a = await store().createIncident(newIncident());
    const b = await store().createIncident(newIncident());
    const first = await store().addFollowUp({ id: 'f1', incidentId: a.id, text: 'Alert on tunnel loss', owner: { name: 'alice', userId: 'U1' }, createdBy: 'bob', createdAt: T0 });
    expect(first).toEqual({ id: 'f1', incidentId: a.id, text: 'Alert on tunnel loss', owner: { name: 'alice', userId: 'U1' }, createdBy: 'bob', createdAt: T0, refs: [] });
    await store().addFollowUp({ id: 'f2', incidentId: a.id, text: 'Write the RCA', createdBy: 'bob', createdAt: at(-1000) });
    await store().addFollowUp({ id: 'f3', incidentId: b.id, text: 'other incident', owner: { name: 'carol' }, createdBy: 'x', createdAt: T0 });
    const again = await store().addFollowUp({ id: 'f1', incidentId: a.id, text: 'changed?', createdBy: 'eve', createdAt: at(5) });
    expect(again).toEqual(first);
    const list = await store().listFollowUps(a.id);
    expect(list.map((f) => f.id)).toEqual(['f1', 'f2']);
    expect(list[1]).not.toHaveProperty('owner');
    expect((await store().listFollowUps(b.id))[0].owner).toEqual({ name: 'carol' });
    expect(await store().listFollowUps('nope')).toEqual([]);
  });

  it('keeps one reference per tracker, replacing it when filed again elsewhere', async () => {
    const incident = await store().createIncident(newIncident());
    await store().addFollowUp({ id: 'f1', incidentId: incident.id, text: 't', createdBy: 'bob', createdAt: T0 });
    await Promise.all([
      store().setFollowUpRef('f1', { tracker: 'jira', id: 'OPS-7', url: 'https://jira.example/browse/OPS-7' }, T0),
      store().setFollowUpRef('f1', { tracker: 'github', id: '12', url: 'https://github.example/a/b/issues/12' }, T0),
    ]);
    await store().setFollowUpRef('f1', { tracker: 'jira', id: 'OPS-8', url: 'https://jira.example/browse/OPS-8' }, at(1));
    expect((await store().getFollowUp('f1'))!.refs).toEqual([
      { tracker: 'github', id: '12', url: 'https://github.example/a/b/issues/12' },
      { tracker: 'jira', id: 'OPS-8', url: 'https://jira.example/browse/OPS-8' },
    ]);
    expect(await store().getFollowUp('missing')).toBeUndefined();
  });

  it('stores hostile text and owners byte-identical', async () => {
    const incident = await store().createIncident(newIncident());
    for (const [k, text] of HOSTILE.entries()) {
      await store().addFollowUp({ id: `h${k}`, incidentId: incident.id, text, owner: { name: text || 'x' }, createdBy: text, createdAt: T0 });
    }
    const list = await store().listFollowUps(incident.id);
    expect(list.map((f) => f.text)).toEqual(HOSTILE);
    expect(list.map((f) => f.createdBy)).toEqual(HOSTILE);
  });

  it('refuses a follow-up of an incident that does not exist', async () => {
    await expect(store().addFollowUp({ id: 'f', incidentId: 'ghost', text: 't', createdBy: 'b', createdAt: T0 })).rejects.toThrow();
  });
});
