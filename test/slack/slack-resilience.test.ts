import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { capturingLog, memoryEffects, postAsJob, slackChatFor, virtualTime } from './slack-test-kit.js';

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Each key appears exactly once among the bot's messages in `channel`. */
function keysPosted(f: FakeSlack, channel: string): string[] {
  return f.botMessages(channel).map((m) => String(m.metadata?.event_payload.key));
}

describe('Slack rate limits', () => {
  it('a burst of 30 posts to one channel all arrive once, 429s honoured by Retry-After', async () => {
    fake = await startFakeSlack({ postRatePerSecond: 30, postBurst: 10 });
    const channel = fake.workspace.addChannel('inc-burst');
    const { log, lines } = capturingLog();
    // Our pacing is deliberately faster than the fake allows, to force 429s.
    const chat = slackChatFor(fake, { log, sendRatePerSecond: 1000, sendBurst: 1000, retry: { maxElapsedMs: 30_000 } });
    const keys = Array.from({ length: 30 }, (_, i) => `burst:${i}`);
    // Each post runs as a job would: a 429 gives it back, due after the Retry-After.
    const results = await Promise.allSettled(keys.map((key) => postAsJob(chat, channel.id, { text: key }, key)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(fake.calls('chat.postMessage').some((c) => c.status === 429)).toBe(true);
    // The channel was held for as long as Slack's Retry-After (whole seconds) asked.
    const waits = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'slack: rate limited, waiting');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((entry) => entry.retryAfterMs >= 1000 && entry.channel === channel.id)).toBe(true);
    expect(keysPosted(fake, channel.id).sort()).toEqual([...keys].sort());
  }, 30_000);

  it('paced at Slack’s rate, the same burst gets no 429 at all, and no post waits inside its job', async () => {
    // One virtual clock for the fake's limiter and our pacing, so 30 s cost nothing. The clock only
    // moves once every post whose turn came has reached the fake: otherwise virtual time would
    // outrun the HTTP requests and bunch them up at the fake.
    const start = Date.now();
    let now = start;
    const time = { now: () => now, date: () => new Date(now) };
    fake = await startFakeSlack({ postRatePerSecond: 1, postBurst: 4, now: time.now });
    const arrived = () => fake!.calls('chat.postMessage').length;
    const wakes: { at: number; resolve: () => void }[] = [];
    const sleep = (ms: number) => new Promise<void>((resolve) => wakes.push({ at: now + ms, resolve }));
    let done = false;
    // The only place time moves: to the next wake-up, once the posts due so far reached the fake.
    const driver = (async () => {
      while (!done) {
        await new Promise((r) => setTimeout(r, 2));
        const due = Math.min(30, 3 + Math.floor((now - start) / 1000));
        for (let i = 0; i < 400 && arrived() < due; i++) await new Promise((r) => setTimeout(r, 5));
        if (wakes.length === 0) continue;
        now = Math.max(now, Math.min(...wakes.map((w) => w.at)));
        for (const wake of wakes.filter((w) => w.at <= now)) {
          wakes.splice(wakes.indexOf(wake), 1);
          wake.resolve();
        }
      }
    })();
    const channel = fake.workspace.addChannel('inc-paced');
    // The production defaults: one message a second, bursts of three.
    const chat = slackChatFor(fake, { sendRatePerSecond: undefined, sendBurst: undefined, now: time.date, paceNow: time.now });
    const keys = Array.from({ length: 30 }, (_, i) => `paced:${i}`);
    const results = await Promise.all(keys.map((key) => postAsJob(chat, channel.id, { text: key }, key, { time: { now: time.now, sleep } })));
    done = true;
    await driver;
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual(Array(30).fill(200));
    expect(keysPosted(fake, channel.id).sort()).toEqual([...keys].sort());
    expect(now - start).toBeGreaterThanOrEqual(26_000); // 3 at once, then one a second
    // A waiting post is deferred once, to its reserved turn, not woken again and again.
    expect(Math.max(...results.map((r) => r.runs))).toBe(2);
  });
});

describe('Slack outages', () => {
  it('a one-minute outage loses nothing and posts nothing twice', async () => {
    const time = virtualTime();
    fake = await startFakeSlack({ postRatePerSecond: 1000, postBurst: 1000, now: time.now });
    const channel = fake.workspace.addChannel('inc-outage');
    // Production backoff (1 s doubling to 20 s, 2 minutes in all), on a virtual clock.
    const chat = slackChatFor(fake, { now: time.date, paceNow: time.now, retry: {} });
    await chat.post(channel.id, { text: 'before' }, 'o:0');
    fake.outage({ ms: 60_000, status: 503 });
    const keys = Array.from({ length: 8 }, (_, i) => `o:${i + 1}`);
    const during = keys.map((key) => postAsJob(chat, channel.id, { text: key }, key, { time }));
    await Promise.all(during);
    expect(time.now()).toBeGreaterThan(Date.now() + 50_000); // a minute went by, virtually
    expect(fake.calls('chat.postMessage').some((c) => c.status === 503)).toBe(true);
    expect(keysPosted(fake, channel.id).sort()).toEqual(['o:0', ...keys].sort());
  });

  it('gives up with SLACK_UNAVAILABLE after its budget, and a later retry of the same key posts once', async () => {
    const time = virtualTime();
    fake = await startFakeSlack({ now: time.now });
    const channel = fake.workspace.addChannel('inc-down');
    const store = memoryEffects();
    const chat = slackChatFor(fake, { store, now: time.date, paceNow: time.now, retry: {} });
    fake.outage({ ms: 10 * 60_000, status: 500 });
    await expect(postAsJob(chat, channel.id, { text: 'x' }, 'down:1', { time })).rejects.toMatchObject({ code: 'SLACK_UNAVAILABLE' });
    expect(time.now() - time.start).toBeLessThanOrEqual(120_000); // the two-minute budget, kept across runs
    // After a 500 the post may have gone through, so later runs look in the history first.
    expect(fake.calls('chat.postMessage').length).toBeGreaterThanOrEqual(1);
    expect(fake.calls('conversations.history').length).toBeGreaterThan(3);
    expect(fake.requests.length).toBeLessThan(20); // bounded: one call per run, no SDK retries inside it
    fake.endOutage();
    await chat.post(channel.id, { text: 'x' }, 'down:1');
    await chat.post(channel.id, { text: 'x' }, 'down:1');
    expect(keysPosted(fake, channel.id)).toEqual(['down:1']);
  });

  it('a lost response (posted, then 500) is found by its metadata instead of posted again', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('inc-lost');
    const chat = slackChatFor(fake);
    fake.outage({ requests: 1, status: 500, afterApplying: true });
    const { runs: _, ...posted } = await postAsJob(chat, channel.id, { text: 'once' }, 'lost:1', { scale: 0.01 });
    expect(keysPosted(fake, channel.id)).toEqual(['lost:1']);
    expect(posted.id).toBe(fake.botMessages(channel.id)[0].ts);
    expect(fake.calls('conversations.history').length).toBeGreaterThan(0);
  });

  it('a dropped connection is retried without a duplicate', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('inc-drop');
    const chat = slackChatFor(fake);
    fake.outage({ requests: 2, drop: true });
    await postAsJob(chat, channel.id, { text: 'x' }, 'drop:1', { scale: 0.01 });
    expect(keysPosted(fake, channel.id)).toEqual(['drop:1']);
  });

  it('body-level ratelimited and internal_error are transient; a 404 is not', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('inc-odd');
    fake.outage({ requests: 1, slackError: 'internal_error' });
    fake.outage({ requests: 1, slackError: 'ratelimited' });
    await postAsJob(slackChatFor(fake), channel.id, { text: 'x' }, 'odd:0', { scale: 0.01 });
    expect(keysPosted(fake, channel.id)).toEqual(['odd:0']);
    // Both answers were met (the second by the history look that follows a failed attempt) and retried.
    expect(fake.requests.length).toBeGreaterThanOrEqual(3);
    fake.requests.length = 0;
    const chat = slackChatFor(fake, { apiUrl: fake.apiUrl.replace('/api/', '/nope/') });
    await expect(chat.post(channel.id, { text: 'x' }, 'odd:1')).rejects.toMatchObject({ code: 'SLACK_HTTP_404' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('idempotency across a crash', () => {
  it('post succeeded, effect not recorded → the next process finds it and does not post again', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('inc-crash');
    const store = memoryEffects();
    store.failPuts = (key) => key.startsWith('slack:post:');
    await expect(slackChatFor(fake, { store }).post(channel.id, { text: 'Meeting: https://meet.jit.si/x' }, 'crash:1')).rejects.toThrow('simulated crash');
    expect(keysPosted(fake, channel.id)).toEqual(['crash:1']);

    store.failPuts = undefined;
    const restarted = slackChatFor(fake, { store });
    const posted = await restarted.post(channel.id, { text: 'Meeting: https://meet.jit.si/x' }, 'crash:1');
    expect(posted.id).toBe(fake.botMessages(channel.id)[0].ts);
    expect(fake.calls('chat.postMessage')).toHaveLength(1);
    expect(keysPosted(fake, channel.id)).toEqual(['crash:1']);
  });

  it('with the SQLite store across a restart: a post whose record was lost is not repeated', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('inc-restart');
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-slack-'));
    try {
      const first = openSqliteStore({ file: join(dir, 'sidekick.db') });
      await first.migrate();
      // The process dies right after Slack answered: the result is never written.
      const dying: Store = Object.assign(Object.create(first) as Store, {
        putEffect: async (key: string, result: unknown, now: string) => {
          if (key.startsWith('slack:post:')) throw new Error('kill -9');
          return first.putEffect(key, result, now);
        },
      });
      await expect(slackChatFor(fake, { store: dying }).post(channel.id, { text: 'on it' }, 'restart:1')).rejects.toThrow('kill -9');
      await first.close();

      const second = openSqliteStore({ file: join(dir, 'sidekick.db') });
      await second.migrate();
      const posted = await slackChatFor(fake, { store: second }).post(channel.id, { text: 'on it' }, 'restart:1');
      expect(await slackChatFor(fake, { store: second }).post(channel.id, { text: 'on it' }, 'restart:1')).toEqual(posted);
      await second.close();
      expect(keysPosted(fake, channel.id)).toEqual(['restart:1']);
      expect(fake.calls('chat.postMessage')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('crash before the post → the next process looks, finds nothing, posts once', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('inc-crash2');
    const store = memoryEffects();
    await store.putEffect('slack:post-intent:crash:2', { channel: channel.id, at: new Date().toISOString() }, new Date().toISOString());
    await slackChatFor(fake, { store }).post(channel.id, { text: 'x' }, 'crash:2');
    expect(keysPosted(fake, channel.id)).toEqual(['crash:2']);
  });

  it('a DM after a crash is not sent twice either', async () => {
    fake = await startFakeSlack();
    const alice = fake.workspace.addUser({ name: 'alice' });
    const store = memoryEffects();
    store.failPuts = (key) => key.startsWith('slack:post:');
    await slackChatFor(fake, { store })
      .directMessage(alice.id, { text: 'water' }, 'dm:1')
      .catch(() => undefined);
    store.failPuts = undefined;
    const dm = await slackChatFor(fake, { store }).directMessage(alice.id, { text: 'water' }, 'dm:1');
    expect(fake.botMessages(dm.channel)).toHaveLength(1);
  });
});
