import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTeams, type FakeTeams } from '../fakes/teams/fake-teams.js';
import { FakeTenant } from '../fakes/teams/fake-teams-state.js';
import { TeamsChannelDriver } from '../fakes/teams/fake-teams-driver.js';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

/** POST /teams/messages: commands by @mention, hostile bodies, and keys endorsed for other channels. */
describe('the Teams messaging endpoint', () => {
  let fake: FakeTeams;
  let sidekick: TestSidekick;
  let driver: TeamsChannelDriver;

  beforeAll(async () => {
    fake = await startFakeTeams();
    fake.tenant.addChannel('incidents');
    sidekick = await startTestSidekick({ flows: {}, env: fake.env() });
    driver = new TeamsChannelDriver(fake, `${sidekick.url}/teams/messages`);
  }, 60_000);
  afterAll(async () => {
    await sidekick?.close();
    await fake?.close();
  });

  it('is the chat when only TEAMS_* is set', async () => {
    expect(sidekick.runtime.services.chat.name).toBe('teams');
  });

  it('runs @Sidekick commands like /sidekick and answers in the thread, once per activity', async () => {
    const channel = fake.tenant.findChannel('incidents')!;
    const ada = fake.tenant.addUser({ name: 'Ada' });
    const title = 'Checkout `$(rm -rf /)` {{ x }} <b>is failing</b>';
    const { message, response } = await driver.userSays(channel.id, ada, `declare ${title}`, { mentionBot: true });
    expect(response.status).toBe(200);
    const incident = await sidekick.until(async () => (await sidekick.get('/api/incidents')).body.incidents[0]);
    expect(incident.title).toBe(title);
    const reply = await sidekick.until(async () => fake.botMessages(channel.id).find((m) => m.replyToId === message.id));
    expect(FakeTenant.textOf(reply)).toContain('Declared **INC-');

    // Teams redelivers when it thinks we were slow: the same activity declares nothing twice.
    const again = await driver.send({
      type: 'message',
      id: message.id,
      from: { id: ada.id, name: 'Ada' },
      recipient: { id: `28:${fake.appId}` },
      conversation: { id: `${channel.id};messageid=${message.id}`, conversationType: 'channel' },
      channelData: { channel: { id: channel.id } },
      text: `<at>Sidekick</at> declare ${title}`,
      entities: [{ type: 'mention', text: '<at>Sidekick</at>', mentioned: { id: `28:${fake.appId}` } }],
    });
    expect(again.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await sidekick.get('/api/incidents')).body.incidents).toHaveLength(1);

    const help = await driver.userSays(channel.id, ada, 'help', { mentionBot: true });
    await sidekick.until(async () => fake.botMessages(channel.id).some((m) => m.replyToId === help.message.id && FakeTenant.textOf(m).includes('declare')));
  });

  it('answers 400 with a code to a signed body that is no activity, and 401 before reading anything', async () => {
    const token = await fake.sign();
    const bad = await fetch(`${sidekick.url}/teams/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ serviceUrl: fake.serviceUrl, channelId: 'msteams' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe('TEAMS_ACTIVITY_INVALID');
    const garbage = await fetch(`${sidekick.url}/teams/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect([400, 401]).toContain(garbage.status);
    const hs256 = 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImZha2Uta2V5LTEifQ.eyJhdWQiOiJ4In0.c2ln';
    expect((await driver.send({ type: 'message', text: 'hi' }, hs256)).status).toBe(401);
  });

  it('refuses a key that is not endorsed for the activity’s channel', async () => {
    const response = await driver.send({ type: 'message', text: 'hi', channelId: 'skype', conversation: { id: 'x' }, from: { id: '29:1' } });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('TEAMS_AUTH_KEY');
  });

  it('answers a click on a stale or foreign button with a card error, not a crash', async () => {
    const channel = fake.tenant.findChannel('incidents')!;
    const response = await driver.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: 'f:1',
      from: { id: '29:1x', name: 'Eve' },
      conversation: { id: `${channel.id};messageid=1` },
      channelData: { channel: { id: channel.id } },
      value: { action: { type: 'Action.Execute', verb: 'other', data: { sidekick: 42 } } },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
  });
});
