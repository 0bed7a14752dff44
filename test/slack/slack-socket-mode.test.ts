import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatClick, ChatIncomingMessage } from '../../src/chat/chat.js';
import { createSlack, type SlackIntegration } from '../../src/chat/slack/create-slack.js';
import type { IncidentCommands } from '../../src/chat/incident-commands.js';
import { systemClock } from '../../src/util/clock.js';
import { SlackAppDriver } from '../fakes/slack/fake-slack-driver.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { memoryEffects, silentLog } from './slack-test-kit.js';
import { anIncident } from '../../src/incidents/testing/an-incident.js';

let fake: FakeSlack;
let slack: SlackIntegration;
const clicks: ChatClick[] = [];
const messages: ChatIncomingMessage[] = [];

const commands: IncidentCommands = {
  findByChannel: async () => undefined,
  declare: async (input) => anIncident({ id: 'inc_9', number: 9, title: input.title }),
  setStatus: async () => {
    throw new Error('not used');
  },
  setSeverity: async () => {
    throw new Error('not used');
  },
  assignRole: async () => {
    throw new Error('not used');
  },
  acknowledge: async () => {
    throw new Error('not used');
  },
  postUpdate: async () => undefined,
  addFollowUp: async () => {
    throw new Error('not used');
  },
  markMoment: async () => {
    throw new Error('not used');
  },
};

beforeEach(async () => {
  clicks.length = 0;
  messages.length = 0;
  fake = await startFakeSlack({ postRatePerSecond: 1000, postBurst: 1000 });
  slack = await createSlack(
    {},
    {
      store: memoryEffects(),
      log: silentLog,
      clock: systemClock,
      publicUrl: 'http://127.0.0.1',
      // No signing secret needed: Socket Mode receives over the WebSocket Slack authenticated.
      env: { SLACK_BOT_TOKEN: fake.token, SLACK_APP_TOKEN: fake.appToken, SLACK_API_URL: fake.apiUrl },
      retry: { maxElapsedMs: 1000 },
    },
  );
});

afterEach(async () => {
  await slack.close();
  await fake.close();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('Socket Mode', () => {
  it('connects with the app token and runs the same handlers as HTTP mode', async () => {
    expect(slack.mode).toBe('socket');
    await slack.connect({ onClick: async (c) => void clicks.push(c), onMessage: async (m) => void messages.push(m) }, commands);
    await until(() => fake.socketClients > 0);
    expect(fake.calls('apps.connections.open')).toHaveLength(1);
    const driver = new SlackAppDriver(fake, { socket: true });
    const channel = fake.workspace.addChannel('inc-9').id;
    const alice = fake.workspace.addUser({ name: 'alice' });

    await driver.userSays(channel, alice.id, 'checking the tunnel');
    await until(() => messages.length > 0);
    expect(messages[0]).toMatchObject({ channel, userId: alice.id, userName: 'alice', text: 'checking the tunnel', kind: 'new' });

    const answer = JSON.parse((await driver.slashCommand('declare Disk full on db-7', { user: alice.id, channel })).body);
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('INC-9') });

    const posted = await slack.chat.post(channel, { text: 'Ask', blocks: [{ type: 'buttons', buttons: [{ label: 'Yes', value: 'task|yes.sig' }] }] }, 'ask:1');
    await driver.click(channel, posted.id, alice.id, { label: 'Yes' });
    await until(() => clicks.length > 0);
    expect(clicks).toEqual([{ value: 'task|yes.sig', userId: alice.id, userName: 'alice', channel, messageId: posted.id }]);
  });

  it('acts once on a slash command delivered again in new envelopes', async () => {
    let declared = 0;
    await slack.connect({ onClick: async () => {}, onMessage: async () => {} }, { ...commands, declare: async (input) => (declared++, commands.declare(input)) });
    await until(() => fake.socketClients > 0);
    const driver = new SlackAppDriver(fake, { socket: true });
    const channel = fake.workspace.addChannel('inc-9').id;
    const alice = fake.workspace.addUser({ name: 'alice' });
    const form = driver.slashCommandForm('declare Disk full on db-7', { user: alice.id, channel });
    const answers = [];
    for (const retryNum of [0, 1, 0]) answers.push(JSON.parse((await driver.deliverSlashCommand(form, { retryNum })).body));
    expect(answers[0]).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('INC-9') });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(declared).toBe(1);
  });

  it('does not crash Sidekick when the app token is refused', async () => {
    const bad = await createSlack(
      {},
      { store: memoryEffects(), log: silentLog, clock: systemClock, publicUrl: 'http://127.0.0.1', env: { SLACK_BOT_TOKEN: fake.token, SLACK_APP_TOKEN: 'xapp-wrong', SLACK_API_URL: fake.apiUrl } },
    );
    await expect(bad.connect({ onClick: async () => {}, onMessage: async () => {} }, commands)).resolves.toBeUndefined();
    expect(fake.socketClients).toBe(0);
    await bad.close();
  });
});
