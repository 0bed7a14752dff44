import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackAppDriver } from '../fakes/slack/fake-slack-driver.js';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

const root = join(import.meta.dirname, '../..');
const example = (name: string) => readFileSync(join(root, 'examples/alerts', name), 'utf8');
const SECRET = 'slack-signing-secret-for-tests';

/** Roles and acknowledgement in Slack: the button on the first message, `/sidekick ack|role`, the channel topic. */
describe('roles and acknowledgement in Slack', () => {
  let fake: FakeSlack;
  let sidekick: TestSidekick;
  let driver: SlackAppDriver;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const name of ['team-db', 'team-payments', 'team-search', 'incidents']) fake.workspace.addChannel(name);
    alice = fake.workspace.addUser({ name: 'alice' }).id;
    bob = fake.workspace.addUser({ name: 'bob' }).id;
    const flow = readFileSync(join(root, 'examples/flows/mysql-replication.yaml'), 'utf8');
    sidekick = await startTestSidekick({
      flows: { 'mysql-replication.yaml': flow.replace('file: ../alerts/', `file: ${join(root, 'examples/alerts')}/`) },
      env: { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl },
    });
    driver = new SlackAppDriver(fake, { url: `${sidekick.url}/slack/events`, signingSecret: SECRET });
    await sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-lag.json'));
  }, 60_000);
  afterAll(async () => {
    await sidekick?.close();
    await fake?.close();
  });

  const incidentChannel = () => [...fake.workspace.channels.values()].find((c) => c.name.startsWith('inc-'));
  const incident = async () => (await sidekick.get(`/api/incidents/${(await sidekick.get('/api/incidents')).body.incidents[0].id}`)).body;

  it('acknowledges with the button on the first message, as the Slack user, and writes the commander into the topic', async () => {
    const first = await sidekick.until(async () => {
      const channel = incidentChannel();
      return channel && fake.botMessages(channel.id).find((m) => JSON.stringify(m.blocks ?? []).includes('Acknowledge'));
    }, 20_000);
    const channel = incidentChannel()!;
    expect((await driver.click(channel.id, first!.ts, alice, { label: 'Acknowledge' })).status).toBe(200);
    const acked = await sidekick.until(async () => {
      const body = await incident();
      return body.incident.acknowledgedBy ? body : undefined;
    });
    expect(acked.incident).toMatchObject({ acknowledgedBy: 'alice', roles: { commander: { userId: alice, name: 'alice' } } });
    expect(acked.timings.acknowledgeMs).toBeGreaterThanOrEqual(0);
    await sidekick.until(async () => fake.workspace.channels.get(channel.id)!.topic.includes('IC: alice'));
    expect(fake.workspace.channels.get(channel.id)!.topic).toMatch(/^INC-\d+: .* · IC: alice · Comms: unassigned$/);

    // The button gives way to who acknowledged, through chat.update on the same message.
    const updated = await sidekick.until(async () => {
      const message = fake.botMessages(channel.id).find((m) => m.ts === first!.ts);
      return message?.edited ? message : undefined;
    });
    expect(JSON.stringify(updated.blocks)).toContain('Acknowledged by alice');
    expect((updated.blocks ?? []).some((b: any) => b.type === 'actions')).toBe(false);
    expect(fake.calls('chat.update').some((call) => call.params.ts === first!.ts)).toBe(true);
  });

  it('hands roles over with /sidekick role and says when it was acknowledged already', async () => {
    const channel = incidentChannel()!;
    const ack = await driver.slashCommand('ack', { user: bob, channel: channel.id });
    expect(JSON.stringify(ack.body)).toContain('acknowledged already by alice');
    const role = await driver.slashCommand(`role comms <@${bob}|bob>`, { user: alice, channel: channel.id });
    expect(JSON.stringify(role.body)).toContain('bob is now the communications lead');
    await sidekick.until(async () => fake.workspace.channels.get(channel.id)!.topic.includes('Comms: bob'));
    const { incident: now } = await incident();
    expect(now.roles.communications).toMatchObject({ userId: bob, name: 'bob' });
    expect(fake.calls('conversations.setTopic').every((call) => String(call.params.topic).length <= 250)).toBe(true);
  });
});
