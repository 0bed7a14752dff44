import { describe, expect, it } from 'vitest';
import { toIncomingMessage, type SlackMessageEvent } from './slack-message-event.js';

const self = { userId: 'U0BOT', botId: 'B0BOT' };
const base: SlackMessageEvent = { type: 'message', channel: 'C1', user: 'U1', text: 'hello', ts: '1767240000.000100' };

describe('toIncomingMessage', () => {
  it('maps plain messages and thread replies', () => {
    expect(toIncomingMessage(base, self)).toEqual({ channel: 'C1', userId: 'U1', text: 'hello', id: base.ts, at: '2026-01-01T04:00:00.000Z', kind: 'new' });
    expect(toIncomingMessage({ ...base, ts: '1767240001.000000', thread_ts: base.ts }, self)).toMatchObject({ threadId: base.ts });
    // A parent carries thread_ts equal to its own ts: not a reply.
    expect(toIncomingMessage({ ...base, thread_ts: base.ts }, self)).not.toHaveProperty('threadId');
  });

  it('ignores our own bot, housekeeping subtypes and non-edits', () => {
    expect(toIncomingMessage({ ...base, user: 'U0BOT' }, self)).toBeUndefined();
    expect(toIncomingMessage({ ...base, user: undefined, bot_id: 'B0BOT', subtype: 'bot_message' }, self)).toBeUndefined();
    expect(toIncomingMessage({ ...base, user: undefined, bot_id: 'B0OTHER', subtype: 'bot_message' }, self)).toMatchObject({ userId: 'B0OTHER' });
    for (const subtype of ['channel_join', 'channel_topic', 'pinned_item', 'something_new']) {
      expect(toIncomingMessage({ ...base, subtype }, self)).toBeUndefined();
    }
    // Unfurl or reply-count change: message_changed without `edited`.
    expect(toIncomingMessage({ ...base, subtype: 'message_changed', message: { ts: base.ts, user: 'U1', text: 'hello' } }, self)).toBeUndefined();
    // Our own message edited by chat.update.
    expect(toIncomingMessage({ ...base, subtype: 'message_changed', message: { ts: base.ts, bot_id: 'B0BOT', text: 'x', edited: { ts: '1' } } }, self)).toBeUndefined();
  });

  it('maps edits and deletions', () => {
    const edit: SlackMessageEvent = {
      ...base,
      subtype: 'message_changed',
      ts: '1767240100.000000',
      message: { ts: base.ts, user: 'U1', text: 'hello world', edited: { ts: '1767240100.000000' } },
      previous_message: { user: 'U1', text: 'hello' },
    };
    expect(toIncomingMessage(edit, self)).toMatchObject({ kind: 'edited', id: base.ts, text: 'hello world', at: '2026-01-01T04:01:40.000Z' });
    const deletion: SlackMessageEvent = { ...base, subtype: 'message_deleted', ts: '1767240200.000000', deleted_ts: base.ts, previous_message: { user: 'U1', text: 'hello' } };
    expect(toIncomingMessage(deletion, self)).toMatchObject({ kind: 'deleted', id: base.ts, text: 'hello', userId: 'U1' });
    expect(toIncomingMessage({ ...deletion, deleted_ts: undefined }, self)).toBeUndefined();
  });

  it('survives hostile shapes', () => {
    for (const event of [{}, { type: 'message' }, { type: 'message', channel: 5, ts: {} }, { type: 'message', subtype: 'message_changed' }]) {
      expect(() => toIncomingMessage(event as unknown as SlackMessageEvent, self)).not.toThrow();
    }
  });
});
