import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { BOT_USER_ID } from '../fakes/slack/fake-slack-state.js';
import { ChatError } from '../../src/chat/chat-error.js';
import type { ChatBlock } from '../../src/chat/chat.js';
import { capturingLog, memoryEffects, postAsJob, slackChatFor } from './slack-test-kit.js';

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack({ postRatePerSecond: 1000, postBurst: 1000 });
});
afterEach(async () => {
  await fake.close();
});

describe('SlackChat.post and update', () => {
  it('posts blocks by channel name, once per idempotency key', async () => {
    const channel = fake.workspace.addChannel('team-db');
    const chat = slackChatFor(fake);
    const message = {
      text: 'MySQL lag',
      blocks: [
        { type: 'header', text: 'MySQL replication' },
        { type: 'buttons', buttons: [{ label: 'Lag rising?', value: 'sig.1' }] },
      ] as ChatBlock[],
    };
    const first = await chat.post('#team-db', message, 'task-1:post');
    const again = await chat.post('#team-db', message, 'task-1:post');
    expect(first).toMatchObject({ channel: channel.id });
    expect(again).toEqual(first);
    const posted = fake.botMessages(channel.id);
    expect(posted).toHaveLength(1);
    expect(posted[0].ts).toBe(first.id);
    expect(posted[0].metadata).toEqual({ event_type: 'sidekick_post', event_payload: { key: 'task-1:post' } });
    expect(posted[0].blocks).toMatchObject([{ type: 'header' }, { type: 'actions', elements: [{ value: 'sig.1' }] }]);
    expect(fake.calls('chat.postMessage')).toHaveLength(1);
  });

  it('posts a huge page as several messages Slack accepts, and an update in place with the overflow in the thread', async () => {
    const channel = fake.workspace.addChannel('inc-1');
    const chat = slackChatFor(fake);
    const huge: ChatBlock[] = [
      { type: 'header', text: 'Runbook' },
      { type: 'text', text: 'Check the tunnel. '.repeat(3000) },
      { type: 'buttons', buttons: Array.from({ length: 40 }, (_, i) => ({ label: `Step ${i}`, value: `v${i}` })) },
    ];
    const posted = await chat.post(channel.id, { text: 'Runbook', blocks: huge }, 'big');
    const all = fake.botMessages(channel.id);
    expect(all.length).toBeGreaterThan(3);
    expect(fake.requests.filter((r) => r.method === 'chat.postMessage').every((r) => r.status === 200)).toBe(true);
    expect(all[0].ts).toBe(posted.id);

    await chat.update(posted, { text: 'Runbook v2', blocks: [{ type: 'text', text: 'Only this now' }] });
    expect(fake.workspace.channels.get(channel.id)!.messages.find((m) => m.ts === posted.id)!.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'Only this now' } }]);

    const before = fake.botMessages(channel.id).length;
    const bigUpdate = { text: 'v3', blocks: [{ type: 'text', text: 'x '.repeat(20_000) }] as ChatBlock[] };
    await chat.update(posted, bigUpdate);
    await chat.update(posted, bigUpdate); // a retried update adds nothing twice
    const replies = fake.botMessages(channel.id).filter((m) => m.thread_ts === posted.id && m.ts !== posted.id);
    expect(replies.length).toBeGreaterThan(0);
    expect(fake.botMessages(channel.id).length).toBe(before + replies.length);
    expect(fake.calls('chat.update').every((r) => r.status === 200)).toBe(true);
  });

  it('turns Slack refusals into ChatErrors with stable codes and no retry', async () => {
    const outside = fake.workspace.addChannel('secret-team', { botIsMember: false });
    const chat = slackChatFor(fake);
    await expect(chat.post(outside.id, { text: 'hi' }, 'k1')).rejects.toMatchObject({ code: 'SLACK_NOT_IN_CHANNEL' });
    expect(fake.calls('chat.postMessage')).toHaveLength(1);
    await expect(chat.post('#no-such-channel', { text: 'hi' }, 'k2')).rejects.toMatchObject({ code: 'SLACK_CHANNEL_NOT_FOUND' });
    const bad = slackChatFor(fake, { token: 'xoxb-wrong-secret-token' });
    const error = await bad.post(outside.id, { text: 'hi' }, 'k3').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatError);
    expect((error as ChatError).code).toBe('SLACK_INVALID_AUTH');
    expect((error as ChatError).message).not.toContain('xoxb-wrong-secret-token');
    expect((error as ChatError).retryable).toBe(false);
  });

  it('keeps long button values out of Slack and resolves them back', async () => {
    const channel = fake.workspace.addChannel('inc-2');
    const chat = slackChatFor(fake);
    const value = 'signed.'.repeat(400);
    await chat.post(channel.id, { text: 't', blocks: [{ type: 'buttons', buttons: [{ label: 'Go', value }] }] }, 'btn');
    const sent = (fake.botMessages(channel.id)[0].blocks as { elements: { value: string }[] }[])[0].elements[0].value;
    expect(sent.length).toBeLessThanOrEqual(2000);
    expect(await chat.resolveButtonValue(sent)).toBe(value);
    expect(await chat.resolveButtonValue('sidekick-ref:' + '0'.repeat(64))).toBeUndefined();
    expect(await chat.resolveButtonValue('plain')).toBe('plain');
  });
});

describe('SlackChat.directMessage', () => {
  it('opens the DM and posts once per key', async () => {
    const alice = fake.workspace.addUser({ name: 'alice' });
    const chat = slackChatFor(fake);
    const a = await chat.directMessage(alice.id, { text: 'Drink some water' }, 'hydrate:1:alice');
    const b = await chat.directMessage(alice.id, { text: 'Drink some water' }, 'hydrate:1:alice');
    expect(b).toEqual(a);
    expect(a.channel).toMatch(/^D/);
    expect(fake.botMessages(a.channel).map((m) => m.text)).toEqual(['Drink some water']);
    await expect(chat.directMessage('U0NOBODY', { text: 'x' }, 'k')).rejects.toMatchObject({ code: 'SLACK_USER_NOT_FOUND' });
  });
});

describe('SlackChat.openChannel', () => {
  it('makes a valid name from a hostile title, suffixes a taken name, sets the topic and invites people', async () => {
    fake.workspace.addChannel('inc-1042-mysql-replication-lag-reboot', { botIsMember: false });
    const alice = fake.workspace.addUser({ name: 'alice' });
    const bob = fake.workspace.addUser({ name: 'bob', email: 'bob@example.com' });
    const carol = fake.workspace.addUser({ name: 'carol' });
    fake.workspace.userGroups.set('S0ONCALL', [carol.id, BOT_USER_ID]);
    const chat = slackChatFor(fake);
    const request = {
      name: 'INC-1042: MySQL Replication Lag!! 🚀 $(reboot)',
      topic: 'MySQL lag <!channel> · critical',
      members: [alice.id, '@bob', 'bob@example.com', 'S0ONCALL', '@nobody'],
    };
    const opened = await chat.openChannel(request, 'open:inc-1042');
    expect(opened.name).toBe('inc-1042-mysql-replication-lag-reboot-2');
    const channel = fake.workspace.channels.get(opened.id)!;
    expect(channel.topic).toBe('MySQL lag &lt;!channel&gt; · critical');
    expect([...channel.members].sort()).toEqual([BOT_USER_ID, alice.id, bob.id, carol.id].sort());
    expect(await chat.openChannel(request, 'open:inc-1042')).toEqual(opened);
    expect(fake.calls('conversations.create').filter((c) => c.status === 200)).toHaveLength(2);
    expect(await chat.resolveChannel(`#${opened.name}`)).toBe(opened.id);
    expect(opened.url).toContain(opened.id);
  });

  it('after a crash between creating and recording, finds its channel instead of making another', async () => {
    const store = memoryEffects();
    store.failPuts = (key) => key.startsWith('slack:channel-created:');
    const chat = slackChatFor(fake, { store });
    await expect(chat.openChannel({ name: 'inc-7-disk-full' }, 'open:7')).rejects.toThrow('simulated crash');
    store.failPuts = undefined;
    const again = await slackChatFor(fake, { store }).openChannel({ name: 'inc-7-disk-full' }, 'open:7');
    expect(again.name).toBe('inc-7-disk-full');
    expect([...fake.workspace.channels.values()].filter((c) => c.name.startsWith('inc-7'))).toHaveLength(1);
  });
});

describe('SlackChat.bookmark and pin', () => {
  it('bookmarks the meeting link and pins the playbook, pinning twice is fine', async () => {
    const channel = fake.workspace.addChannel('inc-3');
    const chat = slackChatFor(fake);
    await chat.bookmark(channel.id, 'Meeting', 'https://meet.jit.si/sidekick-x');
    const posted = await chat.post(channel.id, { text: 'Playbook' }, 'pin:1');
    await chat.pin(posted);
    await chat.pin(posted);
    expect(channel.bookmarks).toMatchObject([{ title: 'Meeting', link: 'https://meet.jit.si/sidekick-x' }]);
    expect([...channel.pins]).toEqual([posted.id]);
    await expect(chat.bookmark(channel.id, 'Bad', 'javascript:alert(1)')).rejects.toMatchObject({ code: 'SLACK_INVALID_LINK' });
  });
});

describe('SlackChat.resolveChannel and history', () => {
  it('follows cursors through every page of channels, and caches', async () => {
    fake.pageCap = 7;
    for (let i = 0; i < 40; i++) fake.workspace.addChannel(`team-${i}`);
    const chat = slackChatFor(fake);
    const id = await chat.resolveChannel('#team-39');
    expect(id).toBe(fake.workspace.findChannel('team-39')!.id);
    const calls = fake.calls('conversations.list').length;
    expect(calls).toBeGreaterThan(5);
    expect(await chat.resolveChannel('team-3')).toBe(fake.workspace.findChannel('team-3')!.id);
    expect(fake.calls('conversations.list').length).toBe(calls);
    expect(await chat.resolveChannel('C0PASSTHRU')).toBe('C0PASSTHRU');
  });

  it('reads every message and every thread reply, oldest first, with names and bot marks', async () => {
    fake.pageCap = 3;
    const channel = fake.workspace.addChannel('inc-9');
    const alice = fake.workspace.addUser({ name: 'alice', displayName: 'Alice <admin>' });
    const chat = slackChatFor(fake);
    const started = new Date(Date.now() - 1000).toISOString();
    const ws = fake.workspace;
    const root = ws.addMessage(channel, { text: 'lag is rising', user: alice.id });
    ws.addMessage(channel, { text: 'joined', user: alice.id, subtype: 'channel_join' });
    const posted = await chat.post(channel.id, { text: 'Playbook: check the tunnel' }, 'pb');
    for (let i = 0; i < 10; i++) ws.addMessage(channel, { text: `reply ${i} <@${alice.id}>`, user: alice.id, thread_ts: root.ts });
    ws.addMessage(channel, { text: 'bot reply', bot_id: 'B0SIDEKICK', user: BOT_USER_ID, thread_ts: posted.id });
    for (let i = 0; i < 8; i++) ws.addMessage(channel, { text: `msg ${i}`, user: alice.id });

    const history = await chat.history(channel.id, started);
    expect(history.map((m) => m.text)).toEqual([
      'lag is rising',
      'Playbook: check the tunnel',
      ...Array.from({ length: 10 }, (_, i) => `reply ${i} @Alice &lt;admin&gt;`),
      'bot reply',
      ...Array.from({ length: 8 }, (_, i) => `msg ${i}`),
    ]);
    expect(history[0]).toMatchObject({ userId: alice.id, userName: 'Alice <admin>', fromBot: false });
    expect(history[1]).toMatchObject({ fromBot: true });
    expect(history[2]).toMatchObject({ threadId: root.ts });
    expect(history.every((m, i) => i === 0 || m.at >= history[i - 1].at)).toBe(true);
    expect(
      fake
        .calls('users.info')
        .map((c) => c.params.user)
        .sort(),
    ).toEqual([BOT_USER_ID, alice.id].sort()); // once per person
  });
});

describe('SlackChat logging', () => {
  it('never writes the token into logs, even when calls fail', async () => {
    const { log, lines } = capturingLog();
    const channel = fake.workspace.addChannel('inc-log');
    fake.outage({ requests: 3, status: 500 });
    const chat = slackChatFor(fake, { log });
    await postAsJob(chat, channel.id, { text: 'x' }, 'log-1', { scale: 0.01 });
    await slackChatFor(fake, { log, token: 'xoxb-leaky-token-123' })
      .post(channel.id, { text: 'x' }, 'log-2')
      .catch(() => undefined);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(fake.token);
    expect(lines.join('\n')).not.toContain('xoxb-leaky-token-123');
  });
});
