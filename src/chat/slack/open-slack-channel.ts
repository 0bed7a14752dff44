import type { Logger } from 'pino';
import type { OpenedChannel } from '../chat.js';
import type { Store } from '../../store/store.js';
import { ChatError } from '../chat-error.js';
import type { SlackCaller } from './slack-caller.js';
import { suffixChannelName, toSlackChannelName } from './slack-channel-name.js';
import { escapeSlackText } from './slack-text.js';
import type { SlackUserDirectory } from './slack-user-directory.js';

/**
 * Opens an incident channel once per idempotency key: a valid, unique name (`name_taken` → `-2`,
 * `-3`…), then the topic and the invitations. Each step is recorded, so a retry after a crash
 * finds the channel it already made instead of making `inc-1042-…-2`.
 */

interface Deps {
  caller: SlackCaller;
  store: Store;
  users: SlackUserDirectory;
  log: Logger;
  now: () => Date;
  identity: () => Promise<{ userId: string }>;
}

type Conversation = { id: string; name: string; creator?: string; created?: number; is_member?: boolean };

const MAX_NAME_ATTEMPTS = 20;
/** Slack's topic limit. */
const MAX_TOPIC = 250;

export async function openSlackChannel(deps: Deps, request: { name: string; topic?: string; members?: string[] }, key: string): Promise<OpenedChannel> {
  const doneKey = `slack:channel:${key}`;
  const done = (await deps.store.getEffect(doneKey)) as OpenedChannel | undefined;
  if (done) return done;
  const createdKey = `slack:channel-created:${key}`;
  let channel = (await deps.store.getEffect(createdKey)) as OpenedChannel | undefined;
  if (!channel) {
    channel = await createUniqueChannel(deps, toSlackChannelName(request.name), key);
    // The first record wins: if another attempt recorded its channel meanwhile, use that one.
    if (!(await deps.store.putEffect(createdKey, channel, deps.now().toISOString()))) channel = ((await deps.store.getEffect(createdKey)) as OpenedChannel | undefined) ?? channel;
  }
  if (request.topic) {
    const topic = escapeSlackText(request.topic.replace(/\s+/g, ' ').trim()).slice(0, MAX_TOPIC);
    await deps.caller.call('conversations.setTopic', { channel: channel.id, topic });
  }
  if (request.members && request.members.length > 0) await invite(deps, channel.id, request.members);
  await deps.store.putEffect(doneKey, channel, deps.now().toISOString());
  return channel;
}

async function createUniqueChannel(deps: Deps, base: string, key: string): Promise<OpenedChannel> {
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const name = suffixChannelName(base, attempt);
    // Each name is recorded before it is tried. After a crash between creating and recording, a
    // `name_taken` on a name *this key* tried before, created by our bot, is the channel we made.
    const attemptKey = `slack:channel-attempt:${key}:${name}`;
    // One statement: the put finds the record of an earlier try, or makes it.
    const triedBefore = !(await deps.store.putEffect(attemptKey, true, deps.now().toISOString()));
    try {
      const answer = await deps.caller.call<{ channel: Conversation }>('conversations.create', { name, is_private: false });
      return { id: answer.channel.id, name: answer.channel.name };
    } catch (error) {
      if ((error as ChatError).details?.slackError !== 'name_taken') throw error;
      // The name may be ours: tried before a crash, or created by this very call when Slack
      // applied it but the answer was lost and the caller retried. Ours means our bot made it,
      // and (for a name not tried before) only just now.
      const ours = await findOurs(deps, name, triedBefore ? undefined : deps.now().getTime() - JUST_NOW_MS);
      if (ours) return ours;
      deps.log.info({ name }, 'slack: channel name taken, trying the next');
    }
  }
  throw new ChatError('SLACK_NAME_TAKEN', `every name from #${base} to #${suffixChannelName(base, MAX_NAME_ATTEMPTS)} is taken; archive old incident channels or change the flow's channel name`);
}

/** How recent a channel our bot created must be to count as the one a retried call made. */
const JUST_NOW_MS = 5 * 60 * 1000;

/** A channel of that name that our bot created (after `createdAfter`, when given). */
async function findOurs(deps: Deps, name: string, createdAfter?: number): Promise<OpenedChannel | undefined> {
  const me = await deps.identity();
  let cursor: string | undefined;
  do {
    const page = await deps.caller.call<{ channels?: Conversation[]; response_metadata?: { next_cursor?: string } }>('conversations.list', {
      types: 'public_channel',
      exclude_archived: true,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    const hit = (page.channels ?? []).find((c) => c.name === name);
    if (hit) {
      // A channel the bot just made has the bot in it; one someone else made in its name may not.
      const recent = createdAfter === undefined || ((hit.created ?? 0) * 1000 >= createdAfter && hit.is_member === true);
      return hit.creator === me.userId && recent ? { id: hit.id, name: hit.name } : undefined;
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return undefined;
}

/** Invites everyone it can; people Slack refuses are logged, not fatal (the channel is still useful). */
async function invite(deps: Deps, channel: string, members: string[]): Promise<void> {
  const me = await deps.identity().catch(() => undefined);
  const { ids, unknown } = await deps.users.resolvePeople(members);
  if (unknown.length > 0) deps.log.warn({ channel, unknown: unknown.length }, 'slack: some people to invite were not found');
  const users = ids.filter((id) => id !== me?.userId);
  for (let i = 0; i < users.length; i += 100) {
    try {
      await deps.caller.call('conversations.invite', { channel, users: users.slice(i, i + 100).join(','), force: true });
    } catch (error) {
      const code = (error as ChatError).details?.slackError;
      // Everyone already there, or only ourselves: nothing to do.
      if (code !== 'already_in_channel' && code !== 'cant_invite_self') deps.log.warn({ channel, code }, 'slack: invitation refused');
    }
  }
}
