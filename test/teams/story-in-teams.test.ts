import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTeams, type FakeTeams } from '../fakes/teams/fake-teams.js';
import { FakeTenant, type FakeChannel, type FakeTeamsUser } from '../fakes/teams/fake-teams-state.js';
import { TeamsChannelDriver } from '../fakes/teams/fake-teams-driver.js';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

const root = join(import.meta.dirname, '../..');
const example = (name: string) => readFileSync(join(root, 'examples/alerts', name), 'utf8');

/**
 * The 4 am story with Microsoft Teams as the chat: the same bundled MySQL flow, changed only by
 * the TEAMS_* variables (and a 3-second reminder instead of 30 minutes).
 */
describe('the story in Teams', () => {
  let fake: FakeTeams;
  let sidekick: TestSidekick;
  let driver: TeamsChannelDriver;
  let alice: FakeTeamsUser;

  beforeAll(async () => {
    fake = await startFakeTeams();
    for (const name of ['team-db', 'team-payments', 'team-search', 'incidents']) fake.tenant.addChannel(name);
    alice = fake.tenant.addUser({ name: 'Alice' });
    fake.tenant.meetingPolicy.add('organizer@example.com');
    const flow = readFileSync(join(root, 'examples/flows/mysql-replication.yaml'), 'utf8').replace('after: 30m', 'after: 3s');
    expect(flow).toContain('after: 3s');
    sidekick = await startTestSidekick({
      flows: { 'mysql-replication.yaml': flow.replace('file: ../alerts/', `file: ${join(root, 'examples/alerts')}/`) },
      env: fake.env({ TEAMS_MEETING_ORGANIZER: 'organizer@example.com' }),
    });
    driver = new TeamsChannelDriver(fake, `${sidekick.url}/teams/messages`);
  }, 60_000);
  afterAll(async () => {
    await sidekick?.close();
    await fake?.close();
  });

  const incidentChannel = (): FakeChannel | undefined => [...fake.tenant.channels.values()].find((c) => c.displayName.startsWith('inc-'));
  const text = FakeTenant.textOf;

  it('opens the channel, posts the meeting link to it and to the other teams, and the playbook as a card with buttons', async () => {
    expect((await sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-lag.json'))).status).toBe(202);
    const channel = await sidekick.until(async () => {
      const found = incidentChannel();
      const messages = found ? fake.botMessages(found.id) : [];
      return messages.some((m) => text(m).includes('teams.microsoft.com/l/meetup-join')) && messages.some((m) => text(m).includes('SHOW REPLICA STATUS')) ? found : undefined;
    }, 20_000);
    const payments = fake.tenant.findChannel('team-payments')!;
    await sidekick.until(async () => fake.botMessages(payments.id).some((m) => text(m).includes('meetup-join')));
    expect(fake.tenant.meetings).toHaveLength(1);
    const playbook = fake.botMessages(channel!.id).find((m) => text(m).includes('SHOW REPLICA STATUS'))!;
    expect(text(playbook)).toContain('db-7.eu-west.example.com');
    const card = (playbook.activity!.attachments as { contentType: string; content: { version: string } }[])[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.version).toBe('1.5');
    expect(JSON.stringify(card)).toContain('Action.Execute');
  });

  it('refuses activities with a forged, expired, wrong-audience or missing token, and changes nothing', async () => {
    const channel = incidentChannel()!;
    const playbook = fake.botMessages(channel.id).find((m) => text(m).includes('SHOW REPLICA STATUS'))!;
    const before = JSON.stringify(playbook.activity);
    const { privateKey } = await generateKeyPair('RS256');
    const bad = {
      forged: await fake.sign({}, { key: privateKey }),
      expired: await fake.sign({}, { expiresInSeconds: -600 }),
      audience: await fake.sign({ aud: 'someone-else' }),
      issuer: await fake.sign({ iss: 'https://evil.example' }),
      serviceUrl: await fake.sign({ serviceurl: 'https://evil.example/' }),
      none: '',
    };
    for (const [why, token] of Object.entries(bad)) {
      const response = await driver.click(channel.id, playbook, alice, 'Lag is rising', token);
      expect(response.status, why).toBe(401);
      expect(response.body.error, why).toMatch(/^TEAMS_AUTH_/);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(JSON.stringify(playbook.activity)).toBe(before);
    const detail = (await sidekick.get(`/api/incidents/${(await sidekick.get('/api/incidents')).body.incidents[0].id}`)).body;
    expect(detail.incident.responders ?? []).not.toContain(alice.id);
  });

  it('advances the playbook when Alice clicks, in place, with the choice on the timeline', async () => {
    const channel = incidentChannel()!;
    const playbook = fake.botMessages(channel.id).find((m) => text(m).includes('SHOW REPLICA STATUS'))!;
    const response = await driver.click(channel.id, playbook, alice, 'Lag is rising');
    expect(response.status).toBe(200);
    expect(response.body.statusCode).toBe(200);
    await sidekick.until(async () => text(playbook).includes('Check the tunnel'));
    expect(fake.calls(/^PUT \/bot\/v3\/conversations\/.*\/activities\//).length).toBeGreaterThan(0);
    const { body } = await sidekick.get('/api/incidents');
    const detail = (await sidekick.get(`/api/incidents/${body.incidents[0].id}`)).body;
    expect(detail.timeline.some((e: any) => e.kind === 'choice' && e.text.includes('Lag is rising'))).toBe(true);
  });

  it('hears the conversation, sends the reminder 1:1 to the responder, and reports it all on resolution', async () => {
    const channel = incidentChannel()!;
    const { message } = await driver.userSays(channel.id, alice, 'Tunnel handshake is 9 minutes old, restarting wg0');
    await driver.userSays(channel.id, alice, 'wg0 is back, lag falling', { replyTo: message.id });
    const dm = await sidekick.until(async () => fake.tenant.chatWith(alice.id)?.messages.find((m) => text(m).includes('drink some water')), 20_000);
    expect(text(dm)).toContain('Snooze');

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
    expect(fake.calls(/^GET \/graph\/v1\.0\/teams\/.*\/messages\/\d+\/replies$/).length).toBeGreaterThan(0);
    await sidekick.until(async () => fake.botMessages(channel.id).some((m) => text(m).includes('report is filed')));
  });
});
