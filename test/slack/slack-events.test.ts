import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatClick, ChatIncomingMessage, ChatInbound, ChatMark } from '../../src/chat/chat.js';
import { createSlack, type SlackIntegration } from '../../src/chat/slack/create-slack.js';
import type { IncidentCommands } from '../../src/chat/incident-commands.js';
import type { Incident } from '../../src/incidents/incident.js';
import { anIncident } from '../../src/incidents/testing/an-incident.js';
import { systemClock } from '../../src/util/clock.js';
import { SlackAppDriver } from '../fakes/slack/fake-slack-driver.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { BOT_ID, BOT_USER_ID } from '../fakes/slack/fake-slack-state.js';
import { memoryEffects, silentLog } from './slack-test-kit.js';

const SECRET = 'signing-secret-for-tests-0123456789';

interface Harness {
  fake: FakeSlack;
  server: FastifyInstance;
  slack: SlackIntegration;
  driver: SlackAppDriver;
  clicks: ChatClick[];
  messages: ChatIncomingMessage[];
  marks: (ChatMark & { adapter: string })[];
  calls: string[];
  incidentChannel: string;
  baseUrl: string;
}

let h: Harness;

function incident(overrides: Partial<Incident> = {}): Incident {
  return anIncident({ id: 'inc_1', number: 1042, title: 'MySQL replication lag', ...overrides });
}

beforeEach(async () => {
  const fake = await startFakeSlack({ postRatePerSecond: 1000, postBurst: 1000 });
  const incidentChannel = fake.workspace.addChannel('inc-1042-mysql-replication-lag').id;
  const calls: string[] = [];
  const clicks: ChatClick[] = [];
  const messages: ChatIncomingMessage[] = [];
  const marks: (ChatMark & { adapter: string })[] = [];
  const inbound: ChatInbound = {
    onClick: async (click) => void clicks.push(click),
    onMessage: async (message) => void messages.push(message),
    onMark: async (mark) => void marks.push(mark),
  };
  const commands: IncidentCommands = {
    findByChannel: async (channel) => (channel === incidentChannel ? incident() : undefined),
    declare: async (input) => {
      calls.push(`declare ${input.title} by ${input.actor} in ${input.channel}`);
      if (input.title.includes('slow')) await new Promise((r) => setTimeout(r, 300));
      return incident({ number: 1043, title: input.title });
    },
    setStatus: async (id, status, actor) => {
      calls.push(`status ${id} ${status} by ${actor}`);
      return incident({ status });
    },
    setSeverity: async (id, severity, actor) => {
      calls.push(`severity ${id} ${severity} by ${actor}`);
      return incident({ severity });
    },
    assignRole: async (id, role, holder, actor) => {
      calls.push(`role ${id} ${role} ${holder?.userId ?? 'none'}:${holder?.name ?? ''} by ${actor}`);
      return incident({ roles: holder ? { [role]: { ...holder, since: '2026-01-01T04:00:00.000Z' } } : {} });
    },
    acknowledge: async (id, person, via) => {
      calls.push(`ack ${id} by ${person.userId}:${person.name} via ${via}`);
      return { incident: incident({ acknowledgedBy: person.name }), already: false };
    },
    postUpdate: async (id, text, actor) => void calls.push(`update ${id} ${text} by ${actor}`),
    addFollowUp: async (id, input) => {
      calls.push(`followup ${id} ${input.text} owner=${JSON.stringify(input.owner ?? null)} by ${input.actor}`);
      return { id: 'f1', incidentId: id, text: input.text, owner: input.owner, createdBy: input.actor, createdAt: '2026-01-01T04:00:00Z', refs: [] };
    },
    markMoment: async (id, input) => {
      calls.push(`${input.kind} ${id} ${input.text} by ${input.markedBy}`);
      return { id: 'k1', incidentId: id, kind: input.kind, text: input.text, markedBy: input.markedBy, markedAt: '2026-01-01T04:00:00Z' };
    },
  };
  const slack = await createSlack(
    {},
    {
      store: memoryEffects(),
      log: silentLog,
      clock: systemClock,
      publicUrl: 'http://127.0.0.1',
      env: { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl },
      retry: { maxElapsedMs: 1000 },
      commandBudgetMs: 100,
    },
  );
  const server = Fastify();
  server.get('/other', async () => ({ ok: true }));
  server.post('/other', async (request) => ({ got: request.body }));
  slack.registerRoutes(server);
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address() as { port: number };
  await slack.connect(inbound, commands);
  const driver = new SlackAppDriver(fake, { url: `http://127.0.0.1:${address.port}/slack/events`, signingSecret: SECRET });
  h = { fake, server, slack, driver, clicks, messages, marks, calls, incidentChannel, baseUrl: `http://127.0.0.1:${address.port}` };
});

afterEach(async () => {
  await h.server.close();
  await h.slack.close();
  await h.fake.close();
});

/** Waits for listeners that run after the ack. */
async function settle(until: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !until(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('POST /slack/events: signatures', () => {
  it('refuses forged, stale, future and tampered requests with 401, and nothing happens', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice' });
    const event = JSON.stringify({
      type: 'event_callback',
      event_id: 'Ev1',
      team_id: 'T',
      event: { type: 'message', channel: h.incidentChannel, user: alice.id, text: 'hi', ts: '1767240000.000100' },
    });
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      await h.driver.send(event, 'application/json', { secret: 'not-the-secret' }),
      await h.driver.send(event, 'application/json', { timestamp: now - 400 }),
      await h.driver.send(event, 'application/json', { timestamp: now + 400 }),
      await h.driver.send(event.replace('hi', 'rm -rf /'), 'application/json', { signature: await signatureOf(event, now) }),
      await h.driver.send(event, 'application/json', { signature: '' }),
      await h.driver.send(event, 'application/json', { signature: 'v0=' + '0'.repeat(64) }),
      await h.driver.send(new URLSearchParams({ payload: '{"type":"block_actions"}' }).toString(), 'application/x-www-form-urlencoded', { secret: 'x' }),
    ];
    expect(attempts.map((a) => a.status)).toEqual(Array(attempts.length).fill(401));
    expect(attempts[1].body).toContain('SLACK_SIGNATURE_STALE');
    await new Promise((r) => setTimeout(r, 50));
    expect(h.messages).toEqual([]);
    expect(h.clicks).toEqual([]);
    expect(h.fake.requests.filter((r) => r.method !== 'auth.test')).toEqual([]);
  });

  it('answers url_verification with the challenge', async () => {
    const response = await h.driver.send(JSON.stringify({ token: 't', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' }), 'application/json');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('gives clear 4xx answers to malformed bodies and leaves other routes alone', async () => {
    expect((await h.driver.send('{not json', 'application/json')).status).toBe(400);
    expect((await h.driver.send('payload=%7Bnope', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await h.driver.send('[1,2]', 'application/json')).status).toBe(400);
    expect((await h.driver.send('x'.repeat(2 * 1024 * 1024), 'application/json')).status).toBe(413);
    expect((await h.driver.send('<xml/>', 'text/xml')).status).toBe(415);
    const other = await fetch(`${h.baseUrl}/other`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await other.json()).toEqual({ got: { a: 1 } });
  });
});

async function signatureOf(body: string, timestamp: number): Promise<string> {
  const { signSlackRequest } = await import('../../src/chat/slack/verify-slack-signature.js');
  return signSlackRequest(SECRET, timestamp, body);
}

describe('POST /slack/events: messages', () => {
  it('delivers messages, thread replies, edits and deletions; ignores our own and housekeeping', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice', displayName: 'Alice' });
    const { message: root, response } = await h.driver.userSays(h.incidentChannel, alice.id, 'lag is rising &lt;!channel&gt;');
    expect(response.status).toBe(200);
    await h.driver.userSays(h.incidentChannel, alice.id, 'tunnel is fine', { threadTs: root.ts });
    await h.driver.userEdits(h.incidentChannel, root.ts, 'lag is rising fast');
    await h.driver.userDeletes(h.incidentChannel, root.ts);
    await h.driver.event({ type: 'message', subtype: 'bot_message', bot_id: BOT_ID, channel: h.incidentChannel, text: 'our own post', ts: '1767240001.000001' });
    await h.driver.event({ type: 'message', user: BOT_USER_ID, channel: h.incidentChannel, text: 'ours too', ts: '1767240001.000002' });
    await h.driver.event({ type: 'message', subtype: 'channel_join', user: alice.id, channel: h.incidentChannel, text: 'joined', ts: '1767240001.000003' });
    await settle(() => h.messages.length >= 4);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.messages.map((m) => [m.kind, m.text, m.userName, m.threadId])).toEqual([
      ['new', 'lag is rising &lt;!channel&gt;', 'Alice', undefined],
      ['new', 'tunnel is fine', 'Alice', root.ts],
      ['edited', 'lag is rising fast', 'Alice', undefined],
      ['deleted', 'lag is rising fast', 'Alice', undefined],
    ]);
    expect(h.messages[0]).toMatchObject({ channel: h.incidentChannel, userId: alice.id, id: root.ts });
  });

  it('handles a redelivered event (X-Slack-Retry-Num) once', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice' });
    const event = { type: 'message', channel: h.incidentChannel, user: alice.id, text: 'once', ts: '1767240002.000001' };
    await h.driver.event(event, { eventId: 'EvSAME' });
    await h.driver.event(event, { eventId: 'EvSAME', retryNum: 1 });
    await h.driver.event(event, { eventId: 'EvSAME', retryNum: 2 });
    await settle(() => h.messages.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.messages.map((m) => m.text)).toEqual(['once']);
  });
});

describe('POST /slack/events: clicks', () => {
  it('delivers a button click with its value, who clicked, where and on which message', async () => {
    const bob = h.fake.workspace.addUser({ name: 'bob' });
    const value = 'task_7|lag-rising.' + 'sig'.repeat(900); // longer than Slack allows: goes by reference
    const posted = await h.slack.chat.post(
      h.incidentChannel,
      {
        text: 'Playbook',
        blocks: [
          {
            type: 'buttons',
            buttons: [
              { label: 'Lag rising?', value },
              { label: 'Back', value: 'task_7|back.sig' },
            ],
          },
        ],
      },
      'pb:1',
    );
    const response = await h.driver.click(h.incidentChannel, posted.id, bob.id, { label: 'Lag rising?' });
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    await settle(() => h.clicks.length >= 1);
    expect(h.clicks).toEqual([{ value, userId: bob.id, userName: 'bob', channel: h.incidentChannel, messageId: posted.id }]);
  });

  it('acts once on a replayed click (the same signed payload again)', async () => {
    const bob = h.fake.workspace.addUser({ name: 'bob' });
    const value = 'task_1|yes.sig';
    const posted = await h.slack.chat.post(h.incidentChannel, { text: 'Ask', blocks: [{ type: 'buttons', buttons: [{ label: 'Yes', value }] }] }, 'ask:replay');
    const ids = { actionTs: '1767240000.123456', triggerId: '1767240000.trigger' };
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await h.driver.click(h.incidentChannel, posted.id, bob.id, { label: 'Yes' }, ids));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await settle(() => h.clicks.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.clicks).toHaveLength(1);
  });

  it('drops a click whose stored reference does not exist', async () => {
    const bob = h.fake.workspace.addUser({ name: 'bob' });
    const channel = h.fake.workspace.channels.get(h.incidentChannel)!;
    const forged = h.fake.workspace.addMessage(channel, {
      text: 'x',
      bot_id: BOT_ID,
      user: BOT_USER_ID,
      blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Go' }, value: 'sidekick-ref:' + 'f'.repeat(64) }] }],
    });
    expect((await h.driver.click(h.incidentChannel, forged.ts, bob.id, { label: 'Go' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.clicks).toEqual([]);
  });
});

describe('POST /slack/events: /sidekick', () => {
  const bodyOf = (response: { body: string }) => JSON.parse(response.body) as { text: string; response_type: string };

  it('answers help, and explains mistakes in plain words', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice' });
    const help = bodyOf(await h.driver.slashCommand('help', { user: alice.id, channel: h.incidentChannel }));
    expect(help.response_type).toBe('ephemeral');
    expect(help.text).toContain('/sidekick declare <title>');
    expect(bodyOf(await h.driver.slashCommand('severity apocalyptic', { user: alice.id, channel: h.incidentChannel })).text).toContain('critical, high, warning, info');
    expect(bodyOf(await h.driver.slashCommand('frobnicate $(reboot)', { user: alice.id, channel: h.incidentChannel })).text).toContain('I don\'t know "frobnicate"');
    const general = h.fake.workspace.addChannel('general').id;
    expect(bodyOf(await h.driver.slashCommand('status mitigated', { user: alice.id, channel: general })).text).toContain('not an incident channel');
    expect(h.calls).toEqual([]);
  });

  it('declares, sets status and severity, posts updates, with the person as actor', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice', displayName: 'Alice' });
    const declared = bodyOf(await h.driver.slashCommand('declare Checkout &lt;fails&gt; &amp; more', { user: alice.id, channel: h.incidentChannel }));
    expect(declared.text).toContain('INC-1043');
    expect(declared.text).toContain('Checkout &lt;fails&gt; &amp; more');
    await h.driver.slashCommand('status Mitigated', { user: alice.id, channel: h.incidentChannel });
    await h.driver.slashCommand('severity critical', { user: alice.id, channel: h.incidentChannel });
    await h.driver.slashCommand('update Failover done; watching replication', { user: alice.id, channel: h.incidentChannel });
    expect(h.calls).toEqual([
      `declare Checkout <fails> & more by Alice in ${h.incidentChannel}`,
      'status inc_1 mitigated by Alice',
      'severity inc_1 critical by Alice',
      'update inc_1 Failover done; watching replication by Alice',
    ]);
  });

  it('acts once on a signed command replayed within the signature window, and answers every copy the same', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice', displayName: 'Alice' });
    const form = h.driver.slashCommandForm('declare Checkout down', { user: alice.id, channel: h.incidentChannel });
    const signedAt = Math.floor(Date.now() / 1000);
    const first = await h.driver.deliverSlashCommand(form, { timestamp: signedAt });
    const replays = [await h.driver.deliverSlashCommand(form, { timestamp: signedAt }), await h.driver.deliverSlashCommand(form, { timestamp: signedAt + 30 })];
    expect([first, ...replays].map((r) => r.status)).toEqual([200, 200, 200]);
    expect(bodyOf(first).text).toContain('Declared *INC-1043*');
    for (const replay of replays) expect(bodyOf(replay)).toEqual(bodyOf(first));
    expect(h.calls).toEqual([`declare Checkout down by Alice in ${h.incidentChannel}`]);

    // A new invocation (its own trigger_id) with the same words is a new command.
    await h.driver.slashCommand('declare Checkout down', { user: alice.id, channel: h.incidentChannel });
    expect(h.calls).toHaveLength(2);
  });

  it('acts once on copies of a command that arrive together, and on Slack retries of a slow one', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice' });
    const form = h.driver.slashCommandForm('declare slow checkout', { user: alice.id, channel: h.incidentChannel });
    const answers = await Promise.all([1, 2, 3].map(() => h.driver.deliverSlashCommand(form)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await settle(() => h.fake.responses.length >= 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(h.calls).toEqual([`declare slow checkout by alice in ${h.incidentChannel}`]);
    for (const response of h.fake.responses) expect(response.body).toMatchObject({ text: expect.stringContaining('INC-1043') });
    const late = bodyOf(await h.driver.deliverSlashCommand(form));
    expect(late.text).toContain('Declared *INC-1043*');
    expect(h.calls).toHaveLength(1);
  });

  it('adds follow-ups with the mentioned owner (escaped mention or typed name)', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice', displayName: 'Alice' });
    const reply = bodyOf(await h.driver.slashCommand('followup Alert on tunnel &lt;loss&gt; <@U0BOB|bob>', { user: alice.id, channel: h.incidentChannel }));
    expect(reply.text).toContain('Follow-up added to *INC-1042* (owner: bob): Alert on tunnel &lt;loss&gt;');
    await h.driver.slashCommand('follow-up Write the RCA @carol', { user: alice.id, channel: h.incidentChannel });
    await h.driver.slashCommand('followup Nobody owns this yet', { user: alice.id, channel: h.incidentChannel });
    expect(bodyOf(await h.driver.slashCommand('followup @carol', { user: alice.id, channel: h.incidentChannel })).text).toContain('Write the action item');
    expect(h.calls).toEqual([
      'followup inc_1 Alert on tunnel <loss> owner={"name":"bob","userId":"U0BOB"} by Alice',
      'followup inc_1 Write the RCA owner={"name":"carol"} by Alice',
      'followup inc_1 Nobody owns this yet owner=null by Alice',
    ]);
    expect(bodyOf(await h.driver.slashCommand('help', { user: alice.id, channel: h.incidentChannel })).text).toContain('/sidekick followup <text> [@owner]');
  });

  it('acks a slow command at once and sends the result to response_url', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice' });
    const first = bodyOf(await h.driver.slashCommand('declare slow database', { user: alice.id, channel: h.incidentChannel }));
    expect(first.text).toBe('Working on it…');
    await settle(() => h.fake.responses.length >= 1);
    expect(h.fake.responses[0].body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('INC-1043') });
  });
});

describe('marking decisions and key moments', () => {
  it('a message shortcut marks the message with its text, once per invocation, and answers privately', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice' });
    const bob = h.fake.workspace.addUser({ name: 'bob' });
    const { message } = await h.driver.userSays(h.incidentChannel, alice.id, 'Fail over to db-8; *rebuild* db-7 later');
    const response = await h.driver.messageShortcut(h.incidentChannel, message.ts, bob.id, 'sidekick_mark_decision', { triggerId: 't-1' });
    expect(response.status).toBe(200);
    await settle(() => h.marks.length > 0 && h.fake.responses.length > 0);
    expect(h.marks).toEqual([
      {
        adapter: 'slack',
        channel: h.incidentChannel,
        messageId: message.ts,
        kind: 'decision',
        userId: bob.id,
        userName: 'bob',
        text: 'Fail over to db-8; *rebuild* db-7 later',
        authorId: alice.id,
        authorName: 'alice',
      },
    ]);
    expect(JSON.stringify(h.fake.responses[0]!.body)).toContain('Marked as a decision');
    // The same payload again (Slack retrying) marks nothing twice.
    await h.driver.messageShortcut(h.incidentChannel, message.ts, bob.id, 'sidekick_mark_decision', { triggerId: 't-1' });
    await h.driver.messageShortcut(h.incidentChannel, message.ts, bob.id, 'sidekick_mark_key_moment');
    await settle(() => h.marks.length > 1);
    expect(h.marks.map((m) => m.kind)).toEqual(['decision', 'key-moment']);
  });

  it('📌 marks a key moment and taking it away unmarks; other reactions and redeliveries do nothing', async () => {
    const alice = h.fake.workspace.addUser({ name: 'alice' });
    const { message } = await h.driver.userSays(h.incidentChannel, alice.id, 'writes are flowing again');
    await h.driver.userReacts(h.incidentChannel, message.ts, alice.id, 'tada');
    await h.driver.userReacts(h.incidentChannel, message.ts, alice.id, 'pushpin', { eventId: 'EvPin1' });
    await h.driver.userReacts(h.incidentChannel, message.ts, alice.id, 'pushpin', { eventId: 'EvPin1' });
    await settle(() => h.marks.length > 0);
    await h.driver.userReacts(h.incidentChannel, message.ts, alice.id, 'pushpin', { removed: true });
    await settle(() => h.marks.length > 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.marks.map((m) => `${m.kind}:${m.messageId}:${m.userName}:${m.removed}:${m.text}`)).toEqual([
      `key-moment:${message.ts}:alice:false:undefined`,
      `key-moment:${message.ts}:alice:true:undefined`,
    ]);
    expect(h.fake.workspace.channels.get(h.incidentChannel)!.messages.find((m) => m.ts === message.ts)!.reactions).toEqual([{ name: 'tada', users: [alice.id], count: 1 }]);
  });

  it('`/sidekick decision <text>` records a decision in the incident channel', async () => {
    const bob = h.fake.workspace.addUser({ name: 'bob' });
    const response = await h.driver.slashCommand('decision Keep writes paused until the tunnel is stable', { user: bob.id, channel: h.incidentChannel });
    expect(JSON.parse(response.body).text).toContain('Decision recorded for *INC-1042*');
    expect(h.calls).toEqual(['decision inc_1 Keep writes paused until the tunnel is stable by bob']);
  });
});
