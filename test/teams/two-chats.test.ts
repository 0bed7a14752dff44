import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { startFakeTeams, type FakeTeams } from '../fakes/teams/fake-teams.js';
import { FakeTenant } from '../fakes/teams/fake-teams-state.js';
import { TeamsChannelDriver } from '../fakes/teams/fake-teams-driver.js';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

const root = join(import.meta.dirname, '../..');

/** Slack and Teams configured at once: Slack is the default, a flow or a box picks with `chat:`. */
describe('Slack and Teams together', () => {
  let slack: FakeSlack;
  let teams: FakeTeams;
  let sidekick: TestSidekick;

  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.workspace.addChannel('incidents');
    teams = await startFakeTeams();
    const flow = `
id: in-teams
trigger: { on: alert }
chat: teams
boxes:
  - id: room
    type: open-channel
    next: [hello, tell-slack, nowhere]
  - id: hello
    type: post
    text: "Hello from {{ incident.title }}"
  - id: tell-slack
    type: post
    chat: slack
    channel: "#incidents"
    text: "INC-{{ incident.number }} is being handled in Teams"
  - id: nowhere
    type: post
    chat: room
    channel: "#elsewhere"
    text: "the room hears it too"
`;
    sidekick = await startTestSidekick({
      flows: { 'in-teams.yaml': flow },
      env: { SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, ...teams.env() },
    });
  }, 60_000);
  afterAll(async () => {
    await sidekick?.close();
    await slack?.close();
    await teams?.close();
  });

  it('defaults to Slack, and runs each box in the chat its flow or the box names', async () => {
    expect(sidekick.runtime.services.chat.name).toBe('slack');
    const alert = readFileSync(join(root, 'examples/alerts/generic-example.json'), 'utf8');
    expect((await sidekick.post('/webhooks/generic', alert)).status).toBe(202);
    const channel = await sidekick.until(async () => [...teams.tenant.channels.values()].find((c) => c.displayName.startsWith('inc-')));
    await sidekick.until(async () => teams.botMessages(channel.id).some((m) => FakeTenant.textOf(m).includes('Hello from')));
    const incidents = slack.workspace.findChannel('incidents')!;
    await sidekick.until(async () => slack.botMessages(incidents.id).some((m) => m.text.includes('is being handled in Teams')));
    expect([...slack.workspace.channels.values()].some((c) => c.name.startsWith('inc-'))).toBe(false);
    const { body } = await sidekick.get('/api/incidents');
    const detail = (await sidekick.get(`/api/incidents/${body.incidents[0].id}`)).body;
    expect(detail.incident.channels.find((c: { role: string }) => c.role === 'incident').adapter).toBe('teams');

    // `@Sidekick update` in the Teams channel reaches every channel that heard of the incident, in either chat.
    const ada = teams.tenant.addUser({ name: 'Ada' });
    await new TeamsChannelDriver(teams, `${sidekick.url}/teams/messages`).userSays(channel.id, ada, 'update Failover done', { mentionBot: true });
    await sidekick.until(async () => teams.botMessages(channel.id).some((m) => FakeTenant.textOf(m).includes('Failover done')));
    await sidekick.until(async () => slack.botMessages(incidents.id).some((m) => `${m.text}`.includes('Failover done')));
  });

  it('refuses a chat name it does not know when reading the flow', async () => {
    const { parseFlow } = await import('../../src/flows/parse-flow.js');
    const parsed = parseFlow('id: x\ntrigger: { on: alert }\nchat: discord\nboxes:\n  - { id: a, type: post, chat: irc, text: hi }\n', 'x.yaml');
    expect(parsed.flow).toBeUndefined();
    expect(JSON.stringify(parsed.problems)).toMatch(/chat/);
  });
});
