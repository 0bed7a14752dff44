import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';
import { openStoryIncident } from '../helpers/open-story-incident.js';

/** Roles and acknowledgement in the built-in room and the API: who leads, who talks, when someone picked it up. */
describe('roles and acknowledgement', () => {
  let sidekick: TestSidekick;
  let incidentId: string;
  let channel: string;

  beforeAll(async () => {
    sidekick = await startTestSidekick();
    ({ incidentId, channel } = await openStoryIncident(sidekick));
  });
  afterAll(async () => sidekick?.close());

  const detail = async () => (await sidekick.get(`/api/incidents/${incidentId}`)).body;

  it('puts an Acknowledge button on the first message; a click records who and when, feeds MTTA and makes them commander', async () => {
    const button = await sidekick.until(async () => {
      const { messages } = (await sidekick.get(`/api/room/messages?channel=${channel}`)).body;
      for (const m of messages) for (const b of m.blocks ?? []) if (b.type === 'buttons') for (const x of b.buttons) if (x.label === 'Acknowledge') return x;
      return undefined;
    });
    const before = await detail();
    expect(before.incident.acknowledgedBy).toBeUndefined();
    expect(before.timings.acknowledgeMs).toBeUndefined();

    expect((await sidekick.post('/api/room/click', { value: button.value }, { 'x-sidekick-user': 'Alice' })).status).toBe(202);
    const after = await detail();
    expect(after.incident).toMatchObject({ acknowledgedBy: 'Alice', roles: { commander: { userId: 'web:Alice', name: 'Alice' } } });
    expect(after.incident.responders).toContain('web:Alice');
    expect(typeof after.timings.acknowledgeMs).toBe('number');
    expect(after.timeline.find((e: any) => e.kind === 'acknowledged')).toMatchObject({ actor: 'Alice', text: 'Alice acknowledged the incident (the room)' });

    // Once: a second click, the slash command or the API do not move it.
    expect((await sidekick.post('/api/room/click', { value: button.value }, { 'x-sidekick-user': 'Bob' })).status).toBe(409);
    const again = await sidekick.post('/api/room/messages', { channel, text: '/sidekick ack' }, { 'x-sidekick-user': 'Bob' });
    expect(again.body.reply).toContain('acknowledged already by Alice');
    expect((await sidekick.post(`/api/incidents/${incidentId}/ack`, {}, { 'x-sidekick-user': 'Bob' })).body.already).toBe(true);
    expect((await detail()).incident.acknowledgedBy).toBe('Alice');
  });

  it('replaces the Acknowledge button on the first message with who acknowledged', async () => {
    const messages = async () => (await sidekick.get(`/api/room/messages?channel=${channel}`)).body.messages as any[];
    const first = await sidekick.until(async () => (await messages()).find((m) => JSON.stringify(m.blocks ?? []).includes('Acknowledged by')));
    expect(first.blocks).toContainEqual({ type: 'context', text: 'Acknowledged by Alice' });
    expect(first.blocks.some((b: any) => b.type === 'buttons')).toBe(false);
    expect(first.text).toBeTruthy();
    expect((await messages()).some((m) => JSON.stringify(m.blocks ?? []).includes('"Acknowledge"'))).toBe(false);
  });

  it('refuses a forged Acknowledge button', async () => {
    const forged = await sidekick.post('/api/room/click', { value: `ack|${incidentId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` });
    expect(forged.status).toBe(400);
  });

  it('hands the roles over with /sidekick role in the room, on the timeline with who did it', async () => {
    const named = await sidekick.post('/api/room/messages', { channel, text: '/sidekick role comms @Carol' }, { 'x-sidekick-user': 'Alice' });
    expect(named.body.reply).toContain('Carol is now the communications lead');
    const handed = await sidekick.post('/api/room/messages', { channel, text: '/sidekick ic @Bob' }, { 'x-sidekick-user': 'Alice' });
    expect(handed.body.reply).toContain('Bob is now the incident commander');
    const { incident, timeline } = await detail();
    expect(incident.roles).toMatchObject({ commander: { name: 'Bob', userId: 'name:Bob' }, communications: { name: 'Carol' } });
    expect(timeline.filter((e: any) => e.kind === 'role').map((e: any) => e.text)).toEqual([
      'Alice is the incident commander',
      'Carol is the communications lead (named by Alice)',
      'Alice handed the incident commander role to Bob',
    ]);
    const wrong = await sidekick.post('/api/room/messages', { channel, text: '/sidekick role boss @x' });
    expect(wrong.body.reply).toContain('Name the role');
  });

  it('assigns, takes and clears roles through the API, with names made safe', async () => {
    const taken = await sidekick.post(`/api/incidents/${incidentId}/roles`, { role: 'communications' }, { 'x-sidekick-user': 'Dana' });
    expect(taken.status).toBe(200);
    expect(taken.body.incident.roles.communications).toMatchObject({ userId: 'web:Dana', name: 'Dana' });
    const hostile = await sidekick.post(`/api/incidents/${incidentId}/roles`, { role: 'commander', name: '<img src=x>\u202e `$(id)`' });
    expect(hostile.body.incident.roles.commander.name).toBe('<img src=x> `$(id)`');
    expect((await sidekick.post(`/api/incidents/${incidentId}/roles`, { role: 'commander', user: 'ghost' })).status).toBe(404);
    expect((await sidekick.post(`/api/incidents/${incidentId}/roles`, { role: 'boss' })).status).toBe(400);
    const cleared = await sidekick.post(`/api/incidents/${incidentId}/roles`, { role: 'commander', clear: true });
    expect(cleared.body.incident.roles.commander).toBeUndefined();
    expect((await sidekick.post('/api/incidents/nope/ack', {})).status).toBe(404);
  });

  it('shows the roles and the acknowledgement in the report', async () => {
    await sidekick.post(`/api/incidents/${incidentId}/roles`, { role: 'commander', name: 'Bob' });
    const report = await sidekick.get(`/api/incidents/${incidentId}/report`);
    const text = String(report.body);
    expect(text).toContain('- Incident commander: **Bob**');
    expect(text).toContain('- Communications lead: **Dana**');
    expect(text).toMatch(/Acknowledged by Alice after \d+s/);
  });
});
