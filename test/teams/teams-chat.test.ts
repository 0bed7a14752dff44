import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTeams, type FakeTeams } from '../fakes/teams/fake-teams.js';
import { FakeTenant } from '../fakes/teams/fake-teams-state.js';
import { memoryEffects, silentLog } from '../slack/slack-test-kit.js';
import { TeamsCaller, type TeamsPacing } from '../../src/chat/teams/teams-caller.js';
import { runAsJob } from '../fakes/run-as-job.js';
import { TeamsChat } from '../../src/chat/teams/teams-chat.js';
import { TokenSource } from '../../src/chat/teams/teams-token.js';
import { CARD_LIMITS } from '../../src/chat/teams/adaptive-card.js';

/** TeamsChat against the fake Bot Connector and Graph: the Chat seam, limits and faults. */
describe('TeamsChat', () => {
  let fake: FakeTeams;

  beforeAll(async () => {
    fake = await startFakeTeams();
  });
  afterAll(() => fake.close());

  function chatFor(overrides: { password?: string; store?: ReturnType<typeof memoryEffects>; pacing?: TeamsPacing } = {}) {
    const tokens = new TokenSource({ loginUrl: fake.url, tenantId: fake.tenant.tenantId, appId: fake.appId, appPassword: overrides.password ?? fake.appPassword });
    const caller = new TeamsCaller(tokens, silentLog, { maxElapsedMs: 60_000 }, overrides.pacing ?? { ratePerSecond: 1000, burst: 1000 });
    return new TeamsChat({
      caller,
      store: overrides.store ?? memoryEffects(),
      log: silentLog,
      appId: fake.appId,
      tenantId: fake.tenant.tenantId,
      teamId: fake.tenant.teamId,
      serviceUrl: fake.serviceUrl,
      graphUrl: fake.graphUrl,
    });
  }

  it('resolves #names through Graph, posts a card in a new thread, and replies in it', async () => {
    const channel = fake.tenant.addChannel('ops-one');
    const chat = chatFor();
    const posted = await chat.post(
      '#ops-one',
      {
        text: 'hello',
        blocks: [
          { type: 'header', text: 'Hi' },
          { type: 'text', text: '*bold* <https://example.com|a link>' },
        ],
      },
      'k1',
    );
    expect(posted.channel).toBe(channel.id);
    const root = channel.messages.find((m) => m.id === posted.id)!;
    expect(FakeTenant.textOf(root)).toContain('**bold** [a link](https://example.com)');
    const reply = await chat.post(channel.id, { text: 'in the thread', threadId: posted.id }, 'k2');
    expect(channel.messages.find((m) => reply.id.endsWith(m.id))!.replyToId).toBe(posted.id);
    await expect(chat.resolveChannel('#no-such-channel')).rejects.toMatchObject({ code: 'TEAMS_CHANNEL_NOT_FOUND' });
  });

  it('writes the topic (the incident and its role holders) into the channel description', async () => {
    const channel = fake.tenant.addChannel('inc-7-db', 'Replica lag');
    const chat = chatFor();
    expect(chat.setTopic).toBeDefined();
    await chat.setTopic('#inc-7-db', 'INC-7: Replica lag · IC: Ada <Ops> · Comms: unassigned');
    expect(channel.description).toBe('INC-7: Replica lag · IC: Ada <Ops> · Comms: unassigned');
    const patch = fake.calls(/^PATCH /).at(-1)!;
    expect(patch.status).toBe(204);
    expect(patch.body).toEqual({ description: 'INC-7: Replica lag · IC: Ada <Ops> · Comms: unassigned' });
    // Graph's 1024-character limit is kept, not hit.
    await chat.setTopic(channel.id, 'x'.repeat(5000));
    expect(channel.description).toHaveLength(1024);
    await expect(chat.setTopic('19:gone@thread.tacv2', 'INC-8')).rejects.toMatchObject({ code: 'TEAMS_NOTFOUND' });
  });

  it('posts once per idempotency key, however often it is retried', async () => {
    const channel = fake.tenant.addChannel('ops-two');
    const chat = chatFor();
    const first = await chat.post(channel.id, { text: 'once' }, 'same-key');
    const again = await chat.post(channel.id, { text: 'once' }, 'same-key');
    expect(again).toEqual(first);
    expect(fake.botMessages(channel.id)).toHaveLength(1);
  });

  it('sends once when the answer is lost after Teams applied the send, or the process dies before recording it', async () => {
    const channel = fake.tenant.addChannel('ops-lost');
    const store = memoryEffects();
    const chat = chatFor({ store });
    fake.fail(/^POST \/bot\/v3\/conversations$/, 502, 'BadGateway', 1, undefined, true);
    const root = await chat.post(channel.id, { text: 'the playbook' }, 'lost-answer');
    expect(fake.botMessages(channel.id)).toHaveLength(1);
    expect(root.id).toBe(fake.botMessages(channel.id)[0].id);

    fake.fail(/^POST \/bot\/v3\/conversations\/.*\/activities$/, 504, 'GatewayTimeout', 1, undefined, true);
    await chat.post(channel.id, { text: 'a reply', threadId: root.id }, 'lost-reply');
    expect(fake.botMessages(channel.id)).toHaveLength(2);

    // Sent, then the process died before the post was recorded: the next attempt finds it.
    store.failPuts = (key) => key === 'teams:post:crash';
    await expect(chat.post(channel.id, { text: 'before the crash' }, 'crash')).rejects.toThrow(/simulated crash/);
    store.failPuts = undefined;
    const again = await chatFor({ store }).post(channel.id, { text: 'before the crash' }, 'crash');
    expect(fake.botMessages(channel.id)).toHaveLength(3);
    expect(again.id).toBe(fake.botMessages(channel.id)[2].id);
  });

  it('hands a 429 (with its Retry-After), a 5xx and a 412 to the engine as transient errors; the retried job sends once', async () => {
    const channel = fake.tenant.addChannel('ops-three');
    const chat = chatFor();
    const sendsBefore = fake.calls(/^POST \/bot\/v3\/conversations$/).length;
    fake.fail(/^POST \/bot\/v3\/conversations$/, 429, 'Throttled', 1, 2);
    fake.fail(/^POST \/bot\/v3\/conversations$/, 502, 'BadGateway', 1);
    fake.fail(/^POST \/bot\/v3\/conversations$/, 412, 'PreconditionFailed', 1);
    const job = await runAsJob(() => chat.post(channel.id, { text: 'after the storm' }, 'storm'), { scale: 0.1 });
    // The 429 pauses the thread for its Retry-After: runs before then defer without calling Teams.
    const failures = job.errors.filter((e) => (e as { code: string }).code !== 'TEAMS_PACED');
    expect(job.errors[1]).toMatchObject({ code: 'TEAMS_PACED', retry: { deferral: true } });
    expect(failures).toMatchObject([
      { code: 'TEAMS_RATE_LIMITED', retryable: true, retry: { retryAfterMs: 2000 } },
      { code: 'TEAMS_UNAVAILABLE', retryable: true },
      { code: 'TEAMS_UNAVAILABLE', retryable: true },
    ]);
    expect(job.delays[0]).toBeGreaterThanOrEqual(2000);
    expect(fake.calls(/^POST \/bot\/v3\/conversations$/).length - sendsBefore).toBe(4);
    expect(fake.botMessages(channel.id)).toHaveLength(1);
  });

  it('defers a send to a thread without room, without calling Teams, and keeps its reserved turn', async () => {
    const channel = fake.tenant.addChannel('ops-paced');
    const chat = chatFor({ pacing: { ratePerSecond: 2, burst: 1 } });
    await chat.post(channel.id, { text: 'first' }, 'paced-1');
    const before = fake.calls(/^POST \/bot\//).length;
    const error = await chat.post(channel.id, { text: 'second' }, 'paced-2').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TEAMS_PACED', retry: { deferral: true } });
    expect((error as { retry: { retryAfterMs: number } }).retry.retryAfterMs).toBeGreaterThan(0);
    expect((error as { retry: { retryAfterMs: number } }).retry.retryAfterMs).toBeLessThanOrEqual(500);
    expect(fake.calls(/^POST \/bot\//)).toHaveLength(before);
    const job = await runAsJob(() => chat.post(channel.id, { text: 'second' }, 'paced-2'), { scale: 1 });
    expect(job.errors.every((e) => (e as { code: string }).code === 'TEAMS_PACED')).toBe(true);
    expect(fake.botMessages(channel.id)).toHaveLength(2);
  });

  it('paces a burst into one thread under the per-thread limit instead of failing', async () => {
    const channel = fake.tenant.addChannel('ops-burst');
    const chat = chatFor();
    const root = await chat.post(channel.id, { text: 'root' }, 'burst-root');
    // The fake allows 7 a second per thread: twelve replies meet 429s and their Retry-After.
    await Promise.all(Array.from({ length: 12 }, (_, i) => runAsJob(() => chat.post(channel.id, { text: `reply ${i}`, threadId: root.id }, `burst-${i}`), { scale: 1 })));
    expect(fake.botMessages(channel.id)).toHaveLength(13);
    expect(fake.calls(/^POST \/bot\/v3\/conversations\/.*\/activities$/).some((r) => r.status === 429)).toBe(true);
  }, 20_000);

  it('gives up with a coded error on a refusal, without retrying it', async () => {
    const channel = fake.tenant.addChannel('ops-four');
    const chat = chatFor();
    fake.fail(/^POST \/bot\/v3\/conversations$/, 403, 'BotDisabledByAdmin', 1);
    await expect(chat.post(channel.id, { text: 'x' }, 'refused')).rejects.toMatchObject({ code: 'TEAMS_BOTDISABLEDBYADMIN' });
    await expect(chatFor({ password: 'wrong' }).post(channel.id, { text: 'x' }, 'bad-secret')).rejects.toMatchObject({ code: 'TEAMS_LOGIN_FAILED' });
  });

  it('splits a page too big for one card into several, each under the 40 KB limit, and updates in place', async () => {
    const channel = fake.tenant.addChannel('ops-five');
    const chat = chatFor();
    const huge = Array.from({ length: 900 }, (_, i) => `line ${i}: ${'x'.repeat(40)} "quoted" <b>&</b>`).join('\n');
    const posted = await chat.post(channel.id, { text: 'long page', blocks: [{ type: 'code', text: huge }] }, 'huge');
    const messages = fake.botMessages(channel.id);
    expect(messages.length).toBeGreaterThan(2);
    for (const message of messages) expect(JSON.stringify(message.activity).length).toBeLessThan(CARD_LIMITS.cardChars + 2_000);
    expect(messages.slice(1).every((m) => m.replyToId === posted.id)).toBe(true);
    expect(fake.calls(/ 413$/)).toHaveLength(0);

    await chat.update(posted, { text: 'short now', blocks: [{ type: 'text', text: 'short now' }] });
    expect(FakeTenant.textOf(messages[0])).toContain('short now');
  });

  it('sends 1:1 where the app is installed, else mentions the person where they last spoke', async () => {
    const channel = fake.tenant.addChannel('ops-six');
    const chat = chatFor();
    const bob = fake.tenant.addUser({ name: 'Bob' });
    await chat.directMessage(bob.id, { text: 'drink water' }, 'dm-bob');
    expect(fake.tenant.chatWith(bob.id)!.messages).toHaveLength(1);

    const carol = fake.tenant.addUser({ name: 'Carol', installed: false });
    await expect(chat.directMessage(carol.id, { text: 'drink water' }, 'dm-carol-1')).rejects.toMatchObject({ code: 'TEAMS_BOTNOTINCONVERSATIONROSTER' });
    chat.noteActivity({ userId: carol.id, userName: 'Carol', channel: channel.id });
    await chat.directMessage(carol.id, { text: 'drink water', blocks: [{ type: 'text', text: 'drink water' }] }, 'dm-carol-2');
    const [message] = fake.botMessages(channel.id);
    expect(FakeTenant.textOf(message)).toContain('<at>Carol</at>');
    expect(JSON.stringify(message.activity)).toContain(carol.id);
  });

  it('opens a channel per incident once, finds it again after a lost answer, and reads it back with replies across pages', async () => {
    const store = memoryEffects();
    const chat = chatFor({ store });
    const opened = await chat.openChannel({ name: 'inc-7 db: down? #now', topic: 'db' }, 'open-7');
    expect(opened.name).toBe('inc-7 db down now');
    expect(await chat.openChannel({ name: 'inc-7 db: down? #now' }, 'open-7')).toEqual(opened);
    // A crash between create and record: the same name is found, not created twice.
    store.effects.clear();
    expect((await chatFor({ store }).openChannel({ name: 'inc-7 db: down? #now' }, 'open-7')).id).toBe(opened.id);

    const ada = fake.tenant.addUser({ name: 'Ada' });
    const channel = fake.tenant.channels.get(opened.id)!;
    for (let i = 0; i < 55; i++) {
      const at = new Date(Date.UTC(2026, 0, 1, 10, 0, i)).toISOString();
      channel.messages.push({
        id: fake.tenant.nextMessageId(),
        replyToId: null,
        from: { user: { id: ada.aadObjectId, displayName: 'Ada' } },
        html: `<p>root ${i} &amp; more</p>`,
        createdDateTime: at,
        lastModifiedDateTime: at,
      });
    }
    const rootId = channel.messages[0].id;
    for (let i = 0; i < 52; i++) {
      const at = new Date(Date.UTC(2026, 0, 1, 11, 0, i)).toISOString();
      channel.messages.push({
        id: fake.tenant.nextMessageId(),
        replyToId: rootId,
        from: { user: { id: ada.aadObjectId, displayName: 'Ada' } },
        html: `<p>reply ${i}</p>`,
        createdDateTime: at,
        lastModifiedDateTime: at,
      });
    }
    const history = await chat.history(opened.id);
    expect(history).toHaveLength(107);
    expect(history[0].text).toBe('root 0 & more');
    expect(history.at(-1)).toMatchObject({ text: 'reply 51', threadId: rootId, userName: 'Ada', fromBot: false });
    expect((await chat.history(opened.id, new Date(Date.UTC(2026, 0, 1, 11, 0, 50)).toISOString())).map((m) => m.text)).toEqual(['reply 50', 'reply 51']);
  });
});
