/**
 * What responders do in the built-in room besides talking, over HTTP as the web UI does it:
 * a declared incident gets its flow; messages are marked as decisions and key moments; updates,
 * decisions and follow-ups are posted; `/sidekick …` typed in the room works as in Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

describe('the responder in the built-in room', () => {
  let sidekick: TestSidekick;
  let incidentId: string;
  let channel: string;
  const detail = async () => (await sidekick.get(`/api/incidents/${incidentId}`)).body;
  const as = (user: string) => ({ 'x-sidekick-user': user });

  beforeAll(async () => {
    sidekick = await startTestSidekick();
  });
  afterAll(async () => {
    await sidekick?.close();
  });

  it('runs the bundled `declared` flow for a declared incident: channel, meeting, triage playbook', async () => {
    const declared = await sidekick.post('/api/incidents', { title: 'Checkout is failing', severity: 'critical' }, as('alice'));
    expect(declared.status).toBe(201);
    incidentId = declared.body.incident.id;
    const ready = await sidekick.until(async () => {
      const body = await detail();
      const own = body.incident.channels.find((c: { role: string }) => c.role === 'incident');
      // The flow's branches run concurrently: wait for each of them, in whatever order they land.
      const playbook = body.messages.some((m: { blocks?: { type: string }[] }) => m.blocks?.some((b) => b.type === 'buttons'));
      const announced = body.messages.some((m: { text: string }) => m.text.includes('Declared by hand'));
      const meetingLine = body.timeline.some((e: { kind: string; text: string }) => e.kind === 'meeting' || /meeting/i.test(e.text));
      return own && body.incident.meeting && playbook && announced && meetingLine ? body : undefined;
    }, 20_000);
    channel = ready.incident.channels.find((c: { role: string }) => c.role === 'incident').id;
    expect(ready.runs.map((r: { flowId: string }) => r.flowId)).toEqual(['declared']);
    expect(ready.messages.map((m: { text: string }) => m.text).join('\n')).toContain('Declared by hand');
    expect(ready.timeline.some((e: { kind: string; text: string }) => e.kind === 'meeting' || /meeting/i.test(e.text))).toBe(true);
  });

  it('marks a message as a decision and a key moment, once each, and takes a mark back', async () => {
    const said = await sidekick.post('/api/room/messages', { channel, text: 'Roll back deploy 4711 <b>now</b>' }, as('bob'));
    expect(said.status).toBe(201);
    const messageId = said.body.message.id;
    for (let i = 0; i < 2; i++) expect((await sidekick.post(`/api/incidents/${incidentId}/moments`, { kind: 'decision', messageId }, as('alice'))).status).toBe(201);
    await sidekick.post(`/api/incidents/${incidentId}/moments`, { kind: 'key-moment', messageId }, as('alice'));
    let moments = (await detail()).moments;
    expect(moments.map((m: { kind: string; text: string; markedBy: string; message: { author: string } }) => [m.kind, m.text, m.markedBy, m.message.author])).toEqual([
      ['decision', 'Roll back deploy 4711 <b>now</b>', 'alice', 'bob'],
      ['key-moment', 'Roll back deploy 4711 <b>now</b>', 'alice', 'bob'],
    ]);
    const removed = await fetch(`${sidekick.url}/api/incidents/${incidentId}/moments`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'key-moment', messageId }),
    });
    expect(removed.status).toBe(200);
    moments = (await detail()).moments;
    expect(moments.map((m: { kind: string }) => m.kind)).toEqual(['decision']);
    const timeline = (await detail()).timeline as { kind: string; text: string }[];
    expect(timeline.filter((e) => e.kind === 'decision').map((e) => e.text)).toEqual(['Decision: Roll back deploy 4711 <b>now</b> (said by bob)']);
    expect(timeline.some((e) => e.text.startsWith('No longer a key moment'))).toBe(true);
  });

  it('refuses marks on messages of other incidents and malformed requests with a code', async () => {
    const other = await sidekick.post('/api/incidents', { title: 'Another one' });
    expect((await sidekick.post(`/api/incidents/${other.body.incident.id}/moments`, { kind: 'decision', messageId: (await detail()).messages[0].id })).body.error.code).toBe('MESSAGE_NOT_FOUND');
    expect((await sidekick.post(`/api/incidents/${incidentId}/moments`, { kind: 'decision' })).status).toBe(400);
    expect((await sidekick.post(`/api/incidents/${incidentId}/moments`, { kind: 'whim', text: 'x' })).status).toBe(400);
    expect((await sidekick.post(`/api/incidents/nope/moments`, { kind: 'decision', text: 'x' })).status).toBe(404);
  });

  it('posts an update to the incident channel and the broadcast channels, on the timeline as an update', async () => {
    // Another team's channel that got the first notice (as a flow's post to other teams records it).
    const team = await sidekick.post(`/api/incidents/${incidentId}/room-channel`, {});
    expect([200, 201]).toContain(team.status);
    const posted = await sidekick.post(`/api/incidents/${incidentId}/updates`, { text: 'Rolled back; error rate falling' }, as('carol'));
    expect(posted.status).toBe(201);
    const body = await detail();
    expect(body.timeline.filter((e: { kind: string }) => e.kind === 'update').map((e: { text: string; actor: string }) => `${e.actor}: ${e.text}`)).toEqual([
      'carol: Update: Rolled back; error rate falling',
    ]);
    // The posts are the update job's, committed with the line: they arrive once the worker runs it.
    const hasPost = async () => (await detail()).messages.some((m: { text: string; channel: string }) => m.channel === channel && m.text.includes('Update on INC-') && m.text.includes('Rolled back'));
    expect(await sidekick.until(hasPost)).toBe(true);
    expect((await sidekick.post(`/api/incidents/${incidentId}/updates`, { text: '   ' })).status).toBe(400);
  });

  it('understands /sidekick typed in the room exactly as in Slack', async () => {
    const typed = async (text: string) => (await sidekick.post('/api/room/messages', { channel, text }, as('dave'))).body;
    expect((await typed('/sidekick update Failover done, watching replication')).reply).toContain('Update posted');
    expect((await typed('/sidekick decision Keep writes paused until the tunnel is stable')).reply).toContain('Decision recorded');
    expect((await typed('/sidekick followup Alert on tunnel packet loss @erin')).reply).toContain('owner: erin');
    expect((await typed('/sidekick severity high')).reply).toContain('severity is now *high*');
    const body = await detail();
    expect(body.timeline.filter((e: { kind: string }) => e.kind === 'update')).toHaveLength(2);
    expect(body.moments.map((m: { text: string }) => m.text)).toContain('Keep writes paused until the tunnel is stable');
    expect(body.followUps.map((f: { text: string; owner?: { name: string } }) => `${f.text} @${f.owner?.name}`)).toEqual(['Alert on tunnel packet loss @erin']);
    // A command is not chat: it is not on the timeline as a message.
    expect(body.timeline.some((e: { kind: string; text: string }) => e.kind === 'message' && e.text.startsWith('/sidekick'))).toBe(false);
  });

  it('gives an incident with no room channel one on demand, so the composer always works', async () => {
    const bare = await sidekick.post('/api/incidents', { title: 'Declared with nothing' });
    const first = await sidekick.post(`/api/incidents/${bare.body.incident.id}/room-channel`, {});
    const again = await sidekick.post(`/api/incidents/${bare.body.incident.id}/room-channel`, {});
    expect(again.body.channel.id).toBe(first.body.channel.id);
    // The declared flow's open-channel box, whenever it runs, leaves the incident that one channel.
    const settled = await sidekick.until(async () => {
      const body = (await sidekick.get(`/api/incidents/${bare.body.incident.id}`)).body;
      return body.timeline.some((e: { kind: string; text: string }) => e.kind === 'box' && /channel/i.test(e.text)) ? body : undefined;
    }, 20_000);
    const roomChannels = settled.incident.channels.filter((c: { adapter: string; role: string }) => c.adapter === 'room' && c.role === 'incident');
    expect(roomChannels.map((c: { id: string }) => c.id)).toEqual([first.body.channel.id]);
    const said = await sidekick.post('/api/room/messages', { channel: first.body.channel.id, text: 'anyone?' }, as('erin'));
    expect(said.status).toBe(201);
  });
});
