import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';
import { openStoryIncident } from '../helpers/open-story-incident.js';

/** Follow-ups over HTTP: the API, `/sidekick followup` typed in the built-in room, the timeline and the report. */
describe('follow-ups', () => {
  let sidekick: TestSidekick;
  let incidentId: string;
  let channel: string;

  beforeAll(async () => {
    sidekick = await startTestSidekick();
    ({ incidentId, channel } = await openStoryIncident(sidekick));
  });
  afterAll(async () => {
    await sidekick?.close();
  });

  it('adds a follow-up with `/sidekick followup` typed in the room, answered in the room', async () => {
    const response = await sidekick.post('/api/room/messages', { channel, text: '/sidekick followup Alert on tunnel packet loss @alice' }, { 'x-sidekick-user': 'bob' });
    expect(response.status).toBe(200);
    expect(response.body.reply).toContain('Follow-up added');
    const { body } = await sidekick.get(`/api/room/messages?channel=${channel}`);
    expect(body.messages.some((m: any) => m.fromBot && m.text.includes('Follow-up added'))).toBe(true);
    // The command is not chat: it is not on the timeline as a message.
    const detail = (await sidekick.get(`/api/incidents/${incidentId}`)).body;
    expect(detail.timeline.some((e: any) => e.kind === 'message' && e.text.includes('/sidekick'))).toBe(false);
  });

  it('adds follow-ups through the API and lists them in order with owners', async () => {
    const created = await sidekick.post(`/api/incidents/${incidentId}/follow-ups`, { text: '  Write the RCA  ', owner: '@carol' }, { 'x-sidekick-user': 'dave' });
    expect(created.status).toBe(201);
    expect(created.body.followUp).toMatchObject({ incidentId, text: 'Write the RCA', owner: { name: 'carol' }, createdBy: 'dave', refs: [] });
    await sidekick.post(`/api/incidents/${incidentId}/follow-ups`, { text: 'Check `$(id)` <b>x</b>', owner: { name: 'erin', userId: 'U9' } });
    const { status, body } = await sidekick.get(`/api/incidents/${incidentId}/follow-ups`);
    expect(status).toBe(200);
    expect(body.followUps.map((f: any) => [f.text, f.owner?.name, f.createdBy])).toEqual([
      ['Alert on tunnel packet loss', 'alice', 'bob'],
      ['Write the RCA', 'carol', 'dave'],
      ['Check `$(id)` <b>x</b>', 'erin', 'web'],
    ]);
  });

  it('puts a timeline line per follow-up', async () => {
    const detail = (await sidekick.get(`/api/incidents/${incidentId}`)).body;
    const lines = detail.timeline.filter((e: any) => e.data?.followUpId);
    expect(lines.map((e: any) => e.text)).toEqual([
      'Follow-up: Alert on tunnel packet loss (owner: alice)',
      'Follow-up: Write the RCA (owner: carol)',
      'Follow-up: Check `$(id)` <b>x</b> (owner: erin)',
    ]);
  });

  it('lists them as a checklist in the report, escaped', async () => {
    const { body } = await sidekick.get(`/api/incidents/${incidentId}/report`);
    const section = body.slice(body.indexOf('## Follow-ups'), body.indexOf('## Action items'));
    expect(section).toContain('- [ ] Alert on tunnel packet loss — owner: alice');
    expect(section).toContain('- [ ] Write the RCA — owner: carol');
    expect(section).toContain('- [ ] Check \\`$(id)\\` &lt;b&gt;x&lt;/b&gt; — owner: erin');
  });

  it('answers bad input with a 4xx, a code and a message', async () => {
    const cases: [unknown, number][] = [
      [{}, 400],
      [{ text: '   ' }, 400],
      [{ text: 'x'.repeat(1001) }, 400],
      [{ text: 'ok', owner: '' }, 400],
      [{ text: 'ok', owner: { userId: 'U1' } }, 400],
      [{ text: 'ok', extra: 1 }, 400],
      [{ text: 42 }, 400],
      ['not json', 400],
    ];
    for (const [body, status] of cases) {
      const response = await sidekick.post(`/api/incidents/${incidentId}/follow-ups`, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body.error.code).toMatch(/^[A-Z_]+$/);
    }
    const missing = await sidekick.post('/api/incidents/nope/follow-ups', { text: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('INCIDENT_NOT_FOUND');
    expect((await sidekick.get('/api/incidents/nope/follow-ups')).status).toBe(404);
    expect((await sidekick.get(`/api/incidents/${incidentId}/follow-ups`)).body.followUps).toHaveLength(3);
  });
});
