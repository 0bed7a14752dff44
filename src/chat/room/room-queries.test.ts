import { expect, it, vi } from 'vitest';
import type { RoomMessage } from './room-queries.js';
import { describeEachStore } from '../../store/testing/describe-each-store.js';
import { HOSTILE, T0, at } from '../../store/testing/fixtures.js';
import { RoomChat } from './room-chat.js';
import { FakeClock } from '../../util/clock.js';
import { LiveEvents } from '../../util/live-events.js';

function message(overrides: Partial<Omit<RoomMessage, 'id' | 'seq'>> & { idempotencyKey?: string } = {}) {
  return { channel: 'inc-1', userId: 'u1', userName: 'Alice', text: 'hello', at: T0, fromBot: false, ...overrides };
}

await describeEachStore('room', ({ store, target, sibling }) => {
  it('creates a channel once by name, updates a given topic, and finds it by id or name', async () => {
    const created = await store().ensureRoomChannel('inc-1', 'MySQL lag', T0);
    expect(created).toMatchObject({ name: 'inc-1', topic: 'MySQL lag', createdAt: T0 });
    const again = await store().ensureRoomChannel('inc-1', undefined, at(1000));
    expect(again).toEqual(created);
    const retopic = await store().ensureRoomChannel('inc-1', 'resolved', at(2000));
    expect(retopic).toMatchObject({ id: created.id, topic: 'resolved', createdAt: T0 });
    expect(await store().getRoomChannel(created.id)).toEqual(retopic);
    expect(await store().getRoomChannel('inc-1')).toEqual(retopic);
    expect(await store().getRoomChannel('nope')).toBeUndefined();
    const bare = await store().ensureRoomChannel('team', undefined, at(5));
    expect(bare).not.toHaveProperty('topic');
    expect((await store().listRoomChannels()).map((channel) => channel.name)).toEqual(['inc-1', 'team']);
  });

  it('resolves a `#name` to the stored channel with one read, creating it only the first time', async () => {
    const chat = new RoomChat(store(), new FakeClock(T0), new LiveEvents(), 'http://sidekick.test');
    const id = await chat.resolveChannel('#Incidents');
    expect((await store().getRoomChannel(id))?.name).toBe('incidents');
    const ensure = vi.spyOn(store(), 'ensureRoomChannel');
    try {
      expect(await chat.resolveChannel('#Incidents')).toBe(id);
      expect(await chat.resolveChannel('incidents')).toBe(id);
      expect(await chat.resolveChannel(id)).toBe(id);
      expect(ensure).not.toHaveBeenCalled();
    } finally {
      ensure.mockRestore();
    }
  });

  it('agrees on one channel when many ensure it at once', async () => {
    const channels = await Promise.all(Array.from({ length: 10 }, () => store().ensureRoomChannel('busy', undefined, T0)));
    expect(new Set(channels.map((channel) => channel.id)).size).toBe(1);
  });

  it('prefers an id match over a channel named like another channel id', async () => {
    const a = await store().ensureRoomChannel('a', undefined, T0);
    const b = await store().ensureRoomChannel(a.id, undefined, T0);
    expect((await store().getRoomChannel(a.id))?.id).toBe(a.id);
    expect((await store().getRoomChannel(b.id))?.name).toBe(a.id);
  });

  it('adds messages with increasing seq and lists them oldest first, by channel, after a seq or since a time', async () => {
    const m1 = await store().addRoomMessage(message({ text: 'one' }));
    const m2 = await store().addRoomMessage(message({ text: 'two', channel: 'other', at: at(1000) }));
    const m3 = await store().addRoomMessage(message({ text: 'three', at: at(2000), fromBot: true, threadId: m1.id }));
    expect(m1.seq).toBeLessThan(m2.seq);
    expect(m2.seq).toBeLessThan(m3.seq);
    expect(m3).toMatchObject({ fromBot: true, threadId: m1.id });
    expect(m1).not.toHaveProperty('threadId');
    const texts = async (filter: Parameters<ReturnType<typeof store>['listRoomMessages']>[0]) => (await store().listRoomMessages(filter)).map((m) => m.text);
    expect(await texts({})).toEqual(['one', 'two', 'three']);
    expect(await texts({ channel: 'inc-1' })).toEqual(['one', 'three']);
    expect(await texts({ afterSeq: m1.seq })).toEqual(['two', 'three']);
    expect(await texts({ since: at(1000) })).toEqual(['two', 'three']);
    expect(await texts({ limit: 1 })).toEqual(['one']);
    expect(await texts({ afterSeq: Number.NaN, limit: Number.NaN })).toEqual(['one', 'two', 'three']);
    expect(await store().getRoomMessage(m3.id)).toEqual(m3);
    expect(await store().getRoomMessage('ghost')).toBeUndefined();
  });

  it('adds a message once per idempotency key and returns the first on a repeat', async () => {
    const first = await store().addRoomMessage(message({ text: 'first', idempotencyKey: 'task-1' }));
    const repeat = await store().addRoomMessage(message({ text: 'second', idempotencyKey: 'task-1' }));
    expect(repeat).toEqual(first);
    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => store().addRoomMessage(message({ text: `r${i}`, idempotencyKey: 'race' }))));
    expect(new Set(racing.map((m) => m.id)).size).toBe(1);
    expect(await store().listRoomMessages({})).toHaveLength(2);
  });

  it('edits text and blocks; blocks given as undefined are removed, omitted ones kept', async () => {
    const blocks = [
      { type: 'header' as const, text: HOSTILE[0] },
      { type: 'buttons' as const, buttons: [{ label: 'Lag rising?', value: 'signed.value', style: 'primary' as const }] },
      { type: 'code' as const, text: "mysql -h 'db-1' -e 'show slave status'", sources: [{ path: 'alert.labels.host', value: 'db-1' }] },
    ];
    const posted = await store().addRoomMessage(message({ fromBot: true, blocks }));
    expect(posted.blocks).toEqual(blocks);
    await store().updateRoomMessage(posted.id, { text: 'edited', editedAt: at(1000) });
    expect(await store().getRoomMessage(posted.id)).toMatchObject({ text: 'edited', editedAt: at(1000), blocks });
    await store().updateRoomMessage(posted.id, { text: 'plain', blocks: undefined, editedAt: at(2000) });
    expect(await store().getRoomMessage(posted.id)).not.toHaveProperty('blocks');
    await store().updateRoomMessage('ghost', { text: 'x', editedAt: T0 });
  });

  it('round-trips hostile text, names and channels', async () => {
    for (const text of HOSTILE) {
      const posted = await store().addRoomMessage(message({ text, userName: text, channel: `c${text}` }));
      expect(await store().getRoomMessage(posted.id)).toEqual(posted);
      expect(posted.text).toBe(text);
      expect((await store().listRoomMessages({ channel: `c${text}` })).map((m) => m.id)).toEqual([posted.id]);
    }
  });

  it.runIf(target.dialect === 'postgres')('commits seq in order across instances, so afterSeq polling misses nothing', async () => {
    const other = await sibling();
    let lastSeq = 0;
    const seen: number[] = [];
    const writers = Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? other : store()).addRoomMessage(message({ text: `m${i}` }))));
    let done = false;
    void writers.then(() => (done = true));
    while (!done) {
      for (const m of await store().listRoomMessages({ afterSeq: lastSeq })) {
        seen.push(m.seq);
        lastSeq = m.seq;
      }
    }
    for (const m of await store().listRoomMessages({ afterSeq: lastSeq })) seen.push(m.seq);
    expect(seen).toHaveLength(60);
  });
});
