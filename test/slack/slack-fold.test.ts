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
