import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

const example = (name: string) => readFileSync(join(import.meta.dirname, '../../examples/alerts', name), 'utf8');

/** The 4 am story on the embedded defaults: no accounts, bundled examples, built-in room, Jitsi, Markdown report. */
describe('the 4 am story on the embedded defaults', () => {
  let sidekick: TestSidekick;
  let incidentId: string;

  beforeAll(async () => {
    sidekick = await startTestSidekick();
  });
  afterAll(async () => {
    await sidekick?.close();
  });

  const incident = async () => (await sidekick.get(`/api/incidents/${incidentId}`)).body;
  const allButtons = (messages: any[]) => messages.flatMap((m: any) => (m.blocks ?? []).filter((b: any) => b.type === 'buttons').flatMap((b: any) => b.buttons));

  it('acknowledges the Datadog alert only once stored and opens an incident', async () => {
    const response = await sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-lag.json'));
    expect(response.status).toBe(202);
    expect(response.body.accepted).toBe(1);
    const list = await sidekick.until(async () => {
      const { body } = await sidekick.get('/api/incidents');
      return body.incidents.length ? body.incidents : undefined;
    });
    expect(list).toHaveLength(1);
    incidentId = list[0].id;
    expect(list[0].title).toMatch(/replication/i);
  });

  it('fills the room with the meeting link, the playbook with buttons and quoted commands', async () => {
    const detail = await sidekick.until(async () => {
      const body = await incident();
      const hasPlaybook = body.messages.some((m: any) => m.blocks?.some((b: any) => b.type === 'code'));
      const hasMeeting = body.messages.some((m: any) => JSON.stringify(m.blocks ?? []).includes('meet.jit.si'));
      return hasPlaybook && hasMeeting ? body : undefined;
    });
    const codes = detail.messages.flatMap((m: any) => (m.blocks ?? []).filter((b: any) => b.type === 'code'));
    expect(codes.length).toBeGreaterThan(0);
    const commands = codes.map((c: any) => c.text).join('\n');
    expect(commands).toContain('db-7.eu-west.example.com');
    expect(commands).not.toMatch(/⟨missing/);
    expect(codes.some((c: any) => c.sources?.length > 0)).toBe(true);
    expect(allButtons(detail.messages).length).toBeGreaterThan(1);
    expect(detail.incident.meeting.joinUrl).toMatch(/^https:\/\/meet\.jit\.si\/[A-Za-z0-9-]{20,}$/);
    expect(detail.timeline.some((e: any) => e.kind === 'command')).toBe(true);
  });

  it('posts the meeting link to the other teams\u2019 channels', async () => {
    const { body } = await sidekick.get('/api/room/channels');
    const payments = body.channels.find((c: any) => c.name === 'team-payments');
    expect(payments).toBeDefined();
    const messages = (await sidekick.get(`/api/room/messages?channel=${payments.id}`)).body.messages;
    expect(JSON.stringify(messages)).toContain('meet.jit.si');
  });

  it('advances the playbook on a click and puts the choice on the timeline', async () => {
    const before = await incident();
    const button = allButtons(before.messages).find((b: any) => !['Done', '← Back'].includes(b.label));
    const click = await sidekick.post('/api/room/click', { value: button.value }, { 'x-sidekick-user': 'alice' });
    expect(click.status).toBe(202);
    const after = await sidekick.until(async () => {
      const body = await incident();
      return body.timeline.some((e: any) => e.kind === 'choice' && e.actor === 'alice') ? body : undefined;
    });
    const choice = after.timeline.find((e: any) => e.kind === 'choice');
    expect(choice.text).toContain(button.label);
    expect(after.incident.responders).toContain('web:alice');
    // The same button again is stale: that page is no longer shown.
    await sidekick.until(async () => JSON.stringify((await incident()).messages).includes('Back'));
  });

  it('rejects a forged button value', async () => {
    const forged = await sidekick.post('/api/room/click', { value: 'some-task|go:anything.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('CLICK_INVALID');
  });

  it('resolves on the recovered alert and writes the Markdown report with the decisions', async () => {
    const response = await sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-recovered.json'));
    expect(response.status).toBe(202);
    const done = await sidekick.until(async () => {
      const body = await incident();
      return body.incident.status === 'resolved' && body.incident.issue ? body : undefined;
    });
    const reportsDir = join(sidekick.dir, 'data', 'reports');
    expect(existsSync(reportsDir)).toBe(true);
    const [file] = readdirSync(reportsDir);
    const report = readFileSync(join(reportsDir, file!), 'utf8');
    expect(report).toMatch(/replication/i);
    expect(report).toContain('alice');
    expect(report).toContain('db-7.eu-west.example.com');
    expect(done.timeline.some((e: any) => e.kind === 'status' && /resolved/.test(e.text))).toBe(true);
  });
});
