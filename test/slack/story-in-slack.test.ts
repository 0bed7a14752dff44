import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackAppDriver } from '../fakes/slack/fake-slack-driver.js';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

const root = join(import.meta.dirname, '../..');
const example = (name: string) => readFileSync(join(root, 'examples/alerts', name), 'utf8');
const SECRET = 'slack-signing-secret-for-tests';

/**
 * The 4 am story with Slack as the chat: the same bundled MySQL flow, changed only by
 * configuration (and a 3-second reminder instead of 30 minutes, so the test does not wait).
 */
describe('the story in Slack', () => {
  let fake: FakeSlack;
  let sidekick: TestSidekick;
  let driver: SlackAppDriver;
  let alice: string;

  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const name of ['team-db', 'team-payments', 'team-search', 'incidents']) fake.workspace.addChannel(name);
    alice = fake.workspace.addUser({ name: 'alice' }).id;
    const flow = readFileSync(join(root, 'examples/flows/mysql-replication.yaml'), 'utf8').replace('after: 30m', 'after: 3s');
    expect(flow).toContain('after: 3s');
    sidekick = await startTestSidekick({
      flows: { 'mysql-replication.yaml': flow.replace('file: ../alerts/', `file: ${join(root, 'examples/alerts')}/`) },
      env: { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl },
    });
    driver = new SlackAppDriver(fake, { url: `${sidekick.url}/slack/events`, signingSecret: SECRET });
  }, 60_000);
  afterAll(async () => {
    await sidekick?.close();
    await fake?.close();
  });

  const incidentChannel = () => [...fake.workspace.channels.values()].find((c) => c.name.startsWith('inc-'));
  const text = (m: { text: string; blocks?: unknown[] }) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;

  it('opens the channel, posts the meeting link to it and to the other teams, and the playbook with buttons', async () => {
    expect((await sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-lag.json'))).status).toBe(202);
    const channel = await sidekick.until(async () => {
      const found = incidentChannel();
      const messages = found ? fake.botMessages(found.id) : [];
      return messages.some((m) => text(m).includes('meet.jit.si')) && messages.some((m) => text(m).includes('SHOW REPLICA STATUS')) ? found : undefined;
    }, 20_000);
    const payments = fake.workspace.findChannel('team-payments')!;
    await sidekick.until(async () => fake.botMessages(payments.id).some((m) => text(m).includes('meet.jit.si')));
    const playbook = fake.botMessages(channel!.id).find((m) => text(m).includes('SHOW REPLICA STATUS'))!;
    expect(text(playbook)).toContain('db-7.eu-west.example.com');
    expect((playbook.blocks as { type: string }[]).some((b) => b.type === 'actions')).toBe(true);
    await sidekick.until(async () => fake.calls('pins.add').length > 0 && fake.calls('bookmarks.add').length > 0);
    expect(fake.calls('bookmarks.add')[0]!.params.link).toMatch(/meet\.jit\.si/);
  });

  it('advances the playbook when alice clicks, in place, with the choice on the timeline', async () => {
    const channel = incidentChannel()!;
    const playbook = fake.botMessages(channel.id).find((m) => text(m).includes('SHOW REPLICA STATUS'))!;
    const response = await driver.click(channel.id, playbook.ts, alice, { label: 'Lag is rising' });
    expect(response.status).toBe(200);
    await sidekick.until(async () => {
      const updated = fake.workspace.channels.get(channel.id)!.messages.find((m) => m.ts === playbook.ts)!;
      return text(updated).includes('Check the tunnel') ? updated : undefined;
    });
    const { body } = await sidekick.get('/api/incidents');
    const detail = (await sidekick.get(`/api/incidents/${body.incidents[0].id}`)).body;
    expect(detail.timeline.some((e: any) => e.kind === 'choice' && e.text.includes('Lag is rising'))).toBe(true);
  });

  it('hears the conversation, sends the reminder privately to the responder, and reports it all on resolution', async () => {
    const channel = incidentChannel()!;
    const { message } = await driver.userSays(channel.id, alice, 'Tunnel handshake is 9 minutes old, restarting wg0');
    const { message: back } = await driver.userSays(channel.id, alice, 'wg0 is back, lag falling', { threadTs: message.ts });
    // The decision through the message shortcut, the key moment with a 📌 (text from the timeline).
    const incidentId = (await sidekick.get('/api/incidents')).body.incidents[0].id;
    await sidekick.until(async () => (await sidekick.get(`/api/incidents/${incidentId}`)).body.timeline.some((e: { text: string }) => e.text === 'wg0 is back, lag falling'));
    await driver.messageShortcut(channel.id, message.ts, alice, 'sidekick_mark_decision');
    await driver.userReacts(channel.id, back.ts, alice, 'pushpin');
    const moments = await sidekick.until(async () => {
      const list = (await sidekick.get(`/api/incidents/${incidentId}`)).body.moments as { kind: string; text: string; markedBy: string; message: { adapter: string } }[];
      return list.length === 2 ? list : undefined;
    });
    expect(moments.map((m) => `${m.kind}: ${m.text} (${m.markedBy}, ${m.message.adapter})`)).toEqual([
      'decision: Tunnel handshake is 9 minutes old, restarting wg0 (alice, slack)',
      'key-moment: wg0 is back, lag falling (alice, slack)',
    ]);
    const dm = await sidekick.until(async () => {
      const im = [...fake.workspace.channels.values()].find((c) => c.isIm && c.user === alice);
      return im && fake.botMessages(im.id).find((m) => text(m).includes('drink some water'));
    }, 20_000);
    expect(text(dm!)).toContain('Snooze');

    expect((await sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-recovered.json'))).status).toBe(202);
    const report = await sidekick.until(async () => {
      const dir = join(sidekick.dir, 'data', 'reports');
      const files = (() => {
        try {
          return readdirSync(dir);
        } catch {
          return [];
        }
      })();
      return files[0] ? readFileSync(join(dir, files[0]), 'utf8') : undefined;
    }, 20_000);
    expect(report).toContain('Tunnel handshake is 9 minutes old');
    expect(report).toContain('wg0 is back, lag falling');
    expect(report).toContain('Lag is rising');
    expect(report.split('## Decisions')[1]!.split('## ')[0]).toContain('Tunnel handshake is 9 minutes old, restarting wg0');
    expect(report.split('## Key moments')[1]!.split('## ')[0]).toContain('wg0 is back, lag falling');
    await sidekick.until(async () => fake.botMessages(channel.id).some((m) => text(m).includes('report is filed')));
  });
});
