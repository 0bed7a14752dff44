import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';

/** The fake is the referee for the adapter's tests, so it is checked against Slack's documented behaviour. */
let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack({ postRatePerSecond: 1, postBurst: 2 });
});
afterEach(async () => {
  await fake.close();
});

async function call(method: string, body: Record<string, unknown> | string, options: { token?: string | null; json?: boolean } = {}) {
  const headers: Record<string, string> = {};
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? fake.token}`;
  let payload: string;
  if (options.json) {
    headers['content-type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(body);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = typeof body === 'string' ? body : new URLSearchParams(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
  }
  const response = await fetch(fake.apiUrl + method, { method: 'POST', headers, body: payload });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, any> };
}

describe('fake Slack', () => {
  it('checks tokens like Slack: not_authed, invalid_auth, token as a form field', async () => {
    expect((await call('auth.test', {}, { token: null })).body).toEqual({ ok: false, error: 'not_authed' });
    expect((await call('auth.test', {}, { token: 'xoxb-nope' })).body).toEqual({ ok: false, error: 'invalid_auth' });
    expect((await call('auth.test', { token: fake.token }, { token: null })).body).toMatchObject({ ok: true, user_id: 'U0SIDEKICK' });
    expect((await call('no.such', {})).body).toEqual({ ok: false, error: 'unknown_method' });
  });

  it('validates posts: channels, text, blocks and metadata, with Slack’s error codes', async () => {
    fake.setPostRate(1000, 1000);
    const channel = fake.workspace.addChannel('c').id;
    const outside = fake.workspace.addChannel('o', { botIsMember: false }).id;
    expect((await call('chat.postMessage', { channel: 'C0NOPE', text: 'x' })).body.error).toBe('channel_not_found');
    expect((await call('chat.postMessage', { channel: outside, text: 'x' })).body.error).toBe('not_in_channel');
    expect((await call('chat.postMessage', { channel })).body.error).toBe('no_text');
    expect((await call('chat.postMessage', { channel, text: 'x'.repeat(40_001) })).body.error).toBe('msg_too_long');
    expect((await call('chat.postMessage', { channel, text: 'x', blocks: '[{' })).body.error).toBe('invalid_blocks_format');
    const section = (n: number) => ({ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(n) } });
    expect((await call('chat.postMessage', { channel, text: 'x', blocks: [section(3001)] })).body.error).toBe('invalid_blocks');
    expect((await call('chat.postMessage', { channel, text: 'x', blocks: Array(51).fill(section(1)) })).body.error).toBe('invalid_blocks');
    const buttons = (n: number, label = 'b') => ({
      type: 'actions',
      elements: Array.from({ length: n }, (_, i) => ({ type: 'button', action_id: `a${i}`, text: { type: 'plain_text', text: label }, value: 'v' })),
    });
    expect((await call('chat.postMessage', { channel, text: 'x', blocks: [buttons(26)] })).body.error).toBe('invalid_blocks');
    expect((await call('chat.postMessage', { channel, text: 'x', blocks: [buttons(1, 'l'.repeat(76))] })).body.error).toBe('invalid_blocks');
    expect((await call('chat.postMessage', { channel, text: 'x', metadata: '{"event_type":1}' })).body.error).toBe('invalid_metadata_schema');
    const ok = await call('chat.postMessage', { channel, text: 'x', blocks: [buttons(25)], metadata: { event_type: 'e', event_payload: { key: 'k' } } }, { json: true });
    expect(ok.body).toMatchObject({ ok: true, channel, ts: expect.stringMatching(/^\d{10}\.\d{6}$/) });
  });

  it('rate-limits chat.postMessage per channel with HTTP 429 and Retry-After in whole seconds', async () => {
    const a = fake.workspace.addChannel('a').id;
    const b = fake.workspace.addChannel('b').id;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('chat.postMessage', { channel: a, text: `${i}` })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    const limited = await call('chat.postMessage', { channel: a, text: 'again' });
    expect(limited.body).toEqual({ ok: false, error: 'ratelimited' });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await call('chat.postMessage', { channel: b, text: 'other channel' })).status).toBe(200);
  });

  it('paginates history newest first with cursors ending in "", and shows metadata only when asked', async () => {
    fake.setPostRate(1000, 1000);
    const channel = fake.workspace.addChannel('h').id;
    for (let i = 0; i < 5; i++) await call('chat.postMessage', { channel, text: `m${i}`, metadata: { event_type: 'e', event_payload: { i } } });
    const first = await call('conversations.history', { channel, limit: '2' });
    expect(first.body.messages.map((m: { text: string }) => m.text)).toEqual(['m4', 'm3']);
    expect(first.body.messages[0].metadata).toBeUndefined();
    expect(first.body.has_more).toBe(true);
    const texts = [];
    let cursor = '';
    do {
      const page = await call('conversations.history', { channel, limit: '2', include_all_metadata: 'true', ...(cursor ? { cursor } : {}) });
      texts.push(...page.body.messages.map((m: { text: string; metadata: unknown }) => m.text));
      expect(page.body.messages[0].metadata).toBeDefined();
      cursor = page.body.response_metadata.next_cursor;
    } while (cursor);
    expect(texts).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    expect((await call('conversations.history', { channel, cursor: 'garbage' })).body.error).toBe('invalid_cursor');
  });

  it('validates channel names and reports name_taken', async () => {
    expect((await call('conversations.create', { name: 'Inc-1' })).body.error).toBe('invalid_name_specials');
    expect((await call('conversations.create', { name: 'x'.repeat(81) })).body.error).toBe('invalid_name_maxlength');
    expect((await call('conversations.create', { name: '' })).body.error).toBe('invalid_name_required');
    expect((await call('conversations.create', { name: 'inc-1' })).body).toMatchObject({ ok: true, channel: { name: 'inc-1', is_member: true } });
    expect((await call('conversations.create', { name: 'inc-1' })).body.error).toBe('name_taken');
  });

  it('fails on command: outages answer 503, lost responses still apply', async () => {
    const channel = fake.workspace.addChannel('d').id;
    fake.outage({ requests: 1 });
    expect((await fetch(fake.apiUrl + 'auth.test', { method: 'POST' })).status).toBe(503);
    fake.outage({ requests: 1, status: 500, afterApplying: true });
    expect(
      (
        await fetch(fake.apiUrl + 'chat.postMessage', {
          method: 'POST',
          headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: `channel=${channel}&text=hi`,
        })
      ).status,
    ).toBe(500);
    expect(fake.botMessages(channel).map((m) => m.text)).toEqual(['hi']);
  });
});
