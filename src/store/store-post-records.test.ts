import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import { HOSTILE, T0, at } from './testing/fixtures.js';

const keys = { result: 'slack:post:k1', intent: 'slack:post-intent:k1' };

await describeEachStore('post-records', ({ store }) => {
  it('says whether a put recorded the effect or found one there', async () => {
    expect(await store().putEffect('post:1', { ts: '1.0' }, T0)).toBe(true);
    expect(await store().putEffect('post:1', { ts: '2.0' }, at(1))).toBe(false);
    expect(await store().getEffect('post:1')).toEqual({ ts: '1.0' });
  });

  it('reads a post’s result, intent and waiting row in one call, each only when recorded', async () => {
    expect(await store().getPostRecords(keys)).toEqual({});
    expect(await store().getPostRecords({ ...keys, backlog: 'k1' })).toEqual({});

    await store().putEffect(keys.intent, { channel: 'C1', at: T0 }, T0);
    expect(await store().getPostRecords(keys)).toEqual({ intent: { channel: 'C1', at: T0 } });

    await store().addChatBacklog({ key: 'k1', channel: 'C1', fold: 'inc-1', message: { text: HOSTILE.join('') }, createdAt: T0 });
    expect(await store().getPostRecords({ ...keys, backlog: 'k1' })).toEqual({ intent: { channel: 'C1', at: T0 }, waiting: {} });
    // Without the backlog key the waiting row is not read.
    expect(await store().getPostRecords(keys)).toEqual({ intent: { channel: 'C1', at: T0 } });

    await store().takeChatBacklog({ channel: 'C1', fold: 'inc-1', by: 'k0', now: at(1), staleBefore: T0, limit: 10 });
    await store().putEffect(keys.result, { channel: 'C1', id: '1.0' }, at(2));
    expect(await store().getPostRecords({ ...keys, backlog: 'k1' })).toEqual({
      result: { channel: 'C1', id: '1.0' },
      intent: { channel: 'C1', at: T0 },
      waiting: { takenBy: 'k0' },
    });
  });

  it('keeps the keys apart: another post’s records and a backlog key named like an effect are not read', async () => {
    await store().putEffect('slack:post:k2', { channel: 'C1', id: '2.0' }, T0);
    await store().addChatBacklog({ key: keys.result, channel: 'C1', fold: 'inc-1', message: { text: 'x' }, createdAt: T0 });
    expect(await store().getPostRecords({ ...keys, backlog: 'k1' })).toEqual({});
    expect(await store().getPostRecords({ ...keys, backlog: keys.result })).toEqual({ waiting: {} });
  });
});
