import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import type { Store } from '../../src/store/store.js';
import { slackChatFor } from './slack-test-kit.js';

let fake: FakeSlack | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function sqliteStore(): Promise<{ store: Store; file: string }> {
  dir ??= mkdtempSync(join(tmpdir(), 'sidekick-fold-'));
  const file = join(dir, 'sidekick.db');
  const store = openSqliteStore({ file });
  await store.migrate();
  return { store, file };
}

/** One message a second, no burst: the second post to a channel within a second waits its turn. */
function pacedChat(f: FakeSlack, store: Store, clock: { now: number }) {
  return slackChatFor(f, { store, sendRatePerSecond: 1, sendBurst: 1, paceNow: () => clock.now, now: () => new Date(clock.now) });
}

/** The store with its chat backlog calls counted. */
function countingBacklog(store: Store): { store: Store; calls: string[] } {
  const calls: string[] = [];
  const counted = new Proxy(store, {
    get(target, name) {
      const value = Reflect.get(target, name, target) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof name === 'string' && name.includes('ChatBacklog')) calls.push(name);
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
  return { store: counted, calls };
}

describe('a post that gets its channel’s turn at once', () => {
  it('goes out alone without touching the backlog, and a repeat finds it', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('incidents');
    const { store: sqlite } = await sqliteStore();
    const { store, calls } = countingBacklog(sqlite);
    const clock = { now: Date.now() };
    const chat = pacedChat(fake, store, clock);
    const posted = await chat.post(channel.id, { text: 'first', foldWith: 'inc-a' }, 'a1');
    expect(fake.botMessages(channel.id).map((m) => m.text)).toEqual(['first']);
    expect(calls).toEqual([]);
    expect(await sqlite.getChatBacklog('a1')).toBeUndefined();
    expect(await chat.post(channel.id, { text: 'first', foldWith: 'inc-a' }, 'a1')).toEqual(posted);
    expect(fake.calls('chat.postMessage')).toHaveLength(1);
    expect(calls).toEqual([]);
    await sqlite.close();
  });

  it('still takes along a post of its incident that waits past its own turn', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('incidents');
    const { store } = await sqliteStore();
    const clock = { now: Date.now() };
    const chat = pacedChat(fake, store, clock);
    const post = (key: string) => chat.post(channel.id, { text: `post ${key}`, foldWith: 'inc-a' }, key);
    await post('a1');
    await expect(post('a2')).rejects.toMatchObject({ code: 'SLACK_PACED' });
    // a2's turn came a while ago but its job has not run yet; a3 arrives with room in the channel.
    clock.now += 2500;
    const carrier = await post('a3');
    expect(fake.botMessages(channel.id).map((m) => m.text)).toEqual(['post a1', 'post a2\n\npost a3']);
    expect(await post('a2')).toEqual(carrier);
    expect(await store.getChatBacklog('a2')).toBeUndefined();
    await store.close();
  });

  it('a crash after Slack answered, before the result was recorded: the restarted post finds it and posts nothing twice', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('incidents');
    const { store: first, file } = await sqliteStore();
    const clock = { now: Date.now() };
    const dying = new Proxy(first, {
      get(target, name) {
        if (name === 'putEffect') {
          return async (key: string, result: unknown, now: string) => {
            if (key === 'slack:post:k1') throw new Error('kill -9');
            return target.putEffect(key, result, now);
          };
        }
        const value = Reflect.get(target, name, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(pacedChat(fake, dying, clock).post(channel.id, { text: 'k1', foldWith: 'inc' }, 'k1')).rejects.toThrow('kill -9');
    await first.close();
    expect(fake.botMessages(channel.id).map((m) => m.text)).toEqual(['k1']);

    const second = openSqliteStore({ file });
    await second.migrate();
    clock.now += 1000;
    const restarted = pacedChat(fake, second, clock);
    const found = await restarted.post(channel.id, { text: 'k1', foldWith: 'inc' }, 'k1');
    expect(found.id).toBe(fake.botMessages(channel.id)[0]!.ts);
    expect(await restarted.post(channel.id, { text: 'k1', foldWith: 'inc' }, 'k1')).toEqual(found);
    expect(fake.botMessages(channel.id).map((m) => m.text)).toEqual(['k1']);
    expect(fake.calls('chat.postMessage')).toHaveLength(1);
    await second.close();
  });
});

describe('a channel with a backlog', () => {
  it('sends the waiting posts of one incident as one message, and another incident’s apart', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('incidents');
    const { store } = await sqliteStore();
    const clock = { now: Date.now() };
    const chat = pacedChat(fake, store, clock);
    const post = (key: string, fold: string) => chat.post(channel.id, { text: `post ${key}`, foldWith: fold }, key);

    await post('a1', 'inc-a');
    // The channel has no room: each waits, deferred (no attempt used), noted in the backlog.
    for (const [key, fold] of [
      ['a2', 'inc-a'],
      ['a3', 'inc-a'],
      ['b1', 'inc-b'],
      ['a4', 'inc-a'],
    ]) {
      await expect(post(key, fold)).rejects.toMatchObject({ code: 'SLACK_PACED', retryable: true, retry: { deferral: true } });
    }
    clock.now += 1000;
    // a2's turn: it takes a3 and a4 along, oldest first; b1 belongs to another incident.
    const folded = await post('a2', 'inc-a');
    expect(fake.botMessages(channel.id).map((m) => m.text)).toEqual(['post a1', 'post a2\n\npost a3\n\npost a4']);
    const calls = fake.calls('chat.postMessage').length;
    // a3 and a4 come back and find the message that carried them, without calling Slack.
    expect(await post('a3', 'inc-a')).toEqual(folded);
    expect(await post('a4', 'inc-a')).toEqual(folded);
    expect(fake.calls('chat.postMessage')).toHaveLength(calls);
    // b1 goes at its own turn, alone (its reservation, two seconds after a2's... minus the turns given back).
    clock.now += 5000;
    await post('b1', 'inc-b');
    expect(fake.botMessages(channel.id).map((m) => m.text)).toEqual(['post a1', 'post a2\n\npost a3\n\npost a4', 'post b1']);
    await store.close();
  });

  it('a crash after Slack answered a folded post: the restarted post finds it, records it for all it carried, posts nothing twice', async () => {
    fake = await startFakeSlack();
    const channel = fake.workspace.addChannel('incidents');
    const { store: first, file } = await sqliteStore();
    const clock = { now: Date.now() };
    const chat = pacedChat(fake, first, clock);
    await chat.post(channel.id, { text: 'one', foldWith: 'inc' }, 'k1');
    for (const key of ['k2', 'k3']) await expect(chat.post(channel.id, { text: key, foldWith: 'inc' }, key)).rejects.toMatchObject({ code: 'SLACK_PACED' });
    clock.now += 1000;
    // The process dies right after Slack answered k2's message (which carries k3).
    const dying = new Proxy(first, {
      get(target, name) {
        if (name === 'putEffect') {
          return async (key: string, result: unknown, now: string) => {
            if (key === 'slack:post:k2') throw new Error('kill -9');
            return target.putEffect(key, result, now);
          };
        }
        const value = Reflect.get(target, name, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(pacedChat(fake, dying, clock).post(channel.id, { text: 'k2', foldWith: 'inc' }, 'k2')).rejects.toThrow('kill -9');
    await first.close();

    // Meanwhile another post of the incident began waiting; the retry must not add it to a message already sent.
    const second = openSqliteStore({ file });
    await second.migrate();
    const restarted = pacedChat(fake, second, clock);
    await second.addChatBacklog({ key: 'k4', channel: channel.id, fold: 'inc', message: { text: 'k4' }, createdAt: new Date(clock.now).toISOString() });
    clock.now += 1000;
    const k2 = await restarted.post(channel.id, { text: 'k2', foldWith: 'inc' }, 'k2');
    expect(await restarted.post(channel.id, { text: 'k3', foldWith: 'inc' }, 'k3')).toEqual(k2);
    expect(fake.botMessages(channel.id).map((m) => m.text)).toEqual(['one', 'k2\n\nk3']);
    // k4 is still waiting, for its own turn.
    expect((await second.getChatBacklog('k4'))?.takenBy).toBeUndefined();
    await restarted.post(channel.id, { text: 'k4', foldWith: 'inc' }, 'k4');
    expect(fake.botMessages(channel.id).map((m) => m.text)).toEqual(['one', 'k2\n\nk3', 'k4']);
    await second.close();
  });
});
