import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackAppDriver } from '../fakes/slack/fake-slack-driver.js';
import { startFakeTeams } from '../fakes/teams/fake-teams.js';
import { FakeTenant } from '../fakes/teams/fake-teams-state.js';
import { TeamsChannelDriver } from '../fakes/teams/fake-teams-driver.js';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

const root = join(import.meta.dirname, '../..');
const example = (name: string) => readFileSync(join(root, 'examples/alerts', name), 'utf8');
const CHANNELS = ['team-db', 'team-payments', 'team-search', 'incidents'];

/** One chat under test: how to start it, and how a person sees and clicks the playbook there. */
interface ChatKit {
  env: Record<string, string>;
  connect(sidekick: TestSidekick): void;
  /** Text of the incident channel's messages and of #team-payments, as people there see them. */
  incidentTexts(sidekick: TestSidekick): Promise<string[]>;
  paymentsTexts(sidekick: TestSidekick): Promise<string[]>;
  clickPlaybook(sidekick: TestSidekick, label: string): Promise<number>;
  close(): Promise<void>;
}

const kits: Record<string, () => Promise<ChatKit>> = {
  async room() {
    const messagesOf = async (sidekick: TestSidekick, name: (n: string) => boolean) => {
      const channel = (await sidekick.get('/api/room/channels')).body.channels.find((c: { name: string }) => name(c.name));
      return channel ? ((await sidekick.get(`/api/room/messages?channel=${channel.id}`)).body.messages as { text: string; blocks?: unknown[] }[]) : [];
    };
    return {
      env: {},
      connect() {},
      incidentTexts: async (s) => (await messagesOf(s, (n) => n.startsWith('inc-'))).map((m) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`),
      paymentsTexts: async (s) => (await messagesOf(s, (n) => n === 'team-payments')).map((m) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`),
      async clickPlaybook(s, label) {
        const messages = await messagesOf(s, (n) => n.startsWith('inc-'));
        const button = messages
          .flatMap((m) => (m.blocks ?? []) as { type: string; buttons?: { label: string; value: string }[] }[])
          .flatMap((b) => b.buttons ?? [])
          .find((b) => b.label === label)!;
        return (await s.post('/api/room/click', { value: button.value }, { 'x-sidekick-user': 'alice' })).status;
      },
      close: async () => {},
    };
  },
  async slack() {
    const fake = await startFakeSlack();
    for (const name of CHANNELS) fake.workspace.addChannel(name);
    const alice = fake.workspace.addUser({ name: 'alice' }).id;
    let driver: SlackAppDriver;
    const texts = (id?: string) => (id ? fake.botMessages(id).map((m) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`) : []);
    const incident = () => [...fake.workspace.channels.values()].find((c) => c.name.startsWith('inc-'));
    return {
      env: { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 'every-chat-secret', SLACK_API_URL: fake.apiUrl },
      connect: (s) => void (driver = new SlackAppDriver(fake, { url: `${s.url}/slack/events`, signingSecret: 'every-chat-secret' })),
      incidentTexts: async () => texts(incident()?.id),
      paymentsTexts: async () => texts(fake.workspace.findChannel('team-payments')?.id),
      async clickPlaybook(_s, label) {
        const channel = incident()!;
        const playbook = fake.botMessages(channel.id).find((m) => JSON.stringify(m.blocks ?? []).includes(label))!;
        return (await driver.click(channel.id, playbook.ts, alice, { label })).status;
      },
      close: () => fake.close(),
    };
  },
  async teams() {
    const fake = await startFakeTeams();
    for (const name of CHANNELS) fake.tenant.addChannel(name);
    const alice = fake.tenant.addUser({ name: 'Alice' });
    let driver: TeamsChannelDriver;
    const incident = () => [...fake.tenant.channels.values()].find((c) => c.displayName.startsWith('inc-'));
    const texts = (id?: string) => (id ? fake.botMessages(id).map(FakeTenant.textOf) : []);
    return {
      env: fake.env(),
      connect: (s) => void (driver = new TeamsChannelDriver(fake, `${s.url}/teams/messages`)),
      incidentTexts: async () => texts(incident()?.id),
      paymentsTexts: async () => texts(fake.tenant.findChannel('team-payments')?.id),
      async clickPlaybook(_s, label) {
        const channel = incident()!;
        const playbook = fake.botMessages(channel.id).find((m) => FakeTenant.textOf(m).includes(label))!;
        return (await driver.click(channel.id, playbook, alice, label)).status;
      },
      close: () => fake.close(),
    };
  },
};

/** The bundled flows, unchanged, in each chat: the same alert leads to the same story. */
describe.each(Object.keys(kits))('the bundled MySQL story in %s', (name) => {
  let kit: ChatKit;
  let sidekick: TestSidekick;
  afterAll(async () => {
    await sidekick?.close();
    await kit?.close();
  });

  it('opens the room with meeting and playbook, tells the teams, advances on a click, and files the report', async () => {
    kit = await kits[name]();
    sidekick = await startTestSidekick({ env: kit.env });
    kit.connect(sidekick);
    expect(sidekick.runtime.services.chat.name).toBe(name);
    expect((await sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-lag.json'))).status).toBe(202);
    await sidekick.until(async () => {
      const texts = await kit.incidentTexts(sidekick);
      return texts.some((t) => t.includes('SHOW REPLICA STATUS')) && texts.some((t) => /meet\.jit\.si/.test(t));
    }, 20_000);
    await sidekick.until(async () => (await kit.paymentsTexts(sidekick)).some((t) => t.includes('meet.jit.si')));
    expect(await kit.clickPlaybook(sidekick, 'Lag is rising')).toBeLessThan(300);
    const incidentId = (await sidekick.get('/api/incidents')).body.incidents[0].id;
    await sidekick.until(async () =>
      (await sidekick.get(`/api/incidents/${incidentId}`)).body.timeline.some((e: { kind: string; text: string }) => e.kind === 'choice' && e.text.includes('Lag is rising')),
    );
    await sidekick.until(async () => (await kit.incidentTexts(sidekick)).some((t) => t.includes('Check the tunnel')));

    expect((await sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-recovered.json'))).status).toBe(202);
    const report = await sidekick.until(async () => {
      try {
        const dir = join(sidekick.dir, 'data', 'reports');
        const [file] = readdirSync(dir);
        return file ? readFileSync(join(dir, file), 'utf8') : undefined;
      } catch {
        return undefined;
      }
    }, 20_000);
    expect(report).toContain('Lag is rising');
  }, 90_000);
});
