import { createHash } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { ChatAdapter, ChatHistoryMessage, ChatMessage, OpenedChannel, PostedMessage } from '../chat.js';
import type { PostRecords, Store } from '../../store/store.js';
import { translateToBlockKit, type SlackMessagePart, type TranslateOptions } from './block-kit.js';
import { ChatError } from '../chat-error.js';
import { SendQueue } from '../send-queue.js';
import { SlackCaller } from './slack-caller.js';
import type { RetryOptions } from '../retry-options.js';
import { foldMessages, MAX_FOLDED } from './fold-messages.js';
import { openSlackChannel } from './open-slack-channel.js';
import { IdempotentPoster, postRecordKeys, postResultKey } from './slack-idempotent-post.js';
import { readSlackHistory } from './slack-history.js';
import { toSlackLogger } from './slack-logger.js';
import { SlackUserDirectory } from './slack-user-directory.js';
import { escapeSlackText } from './slack-text.js';

export interface SlackChatOptions {
  /** Bot token `xoxb-…`. */
  token: string;
  /** Web API base; default SLACK_API_URL, else https://slack.com/api/. */
  apiUrl?: string;
  store: Store;
  log: Logger;
  now?: () => Date;
  /** Messages per second per channel (Slack allows about one). */
  sendRatePerSecond?: number;
  /** Messages sent back to back before pacing starts. */
  sendBurst?: number;
  retry?: RetryOptions;
  /** The pacing clock in ms (tests drive it by hand); default Date.now. */
  paceNow?: () => number;
  /** Per-request timeout; a hung request counts as a network failure and is retried. */
  timeoutMs?: number;
}

/** Button values longer than Slack's 2000 characters travel as a reference to the store. */
export const BUTTON_REF_PREFIX = 'sidekick-ref:';

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** A post taken along by a sender that has not finished this long after is free to go on its own. */
const FOLD_STALE_MS = 10 * 60_000;

/** This post goes out inside another post's message; its job looks again shortly for the result. */
function foldedError(): ChatError {
  return new ChatError('SLACK_FOLDED', 'this post is being sent inside another waiting post of the incident', {}, { deferral: true, retryAfterMs: 1000 });
}
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** The Slack implementation of `ChatAdapter`. */
export class SlackChat implements ChatAdapter {
  readonly name = 'slack';
  readonly client: WebClient;
  /** The Web API base in use, when not Slack's own. */
  readonly apiUrl?: string;
  readonly users: SlackUserDirectory;
  private readonly caller: SlackCaller;
  private readonly poster: IdempotentPoster;
  private readonly now: () => Date;
  private readonly channelIds = new Map<string, string>();
  private readonly dmChannels = new Map<string, string>();
  private identityPromise?: Promise<SlackIdentity>;
  private workspaceUrl?: string;

  constructor(private readonly options: SlackChatOptions) {
    this.now = options.now ?? (() => new Date());
    const apiUrl = options.apiUrl ?? process.env.SLACK_API_URL;
    this.apiUrl = apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : undefined;
    this.client = new WebClient(options.token, {
      ...(this.apiUrl ? { slackApiUrl: this.apiUrl } : {}),
      // Our SlackCaller is the only retry loop (see slack-caller.ts): no SDK retries, no SDK 429 waits.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.timeoutMs ?? 15_000,
      // The original axios error carries the request config, Authorization header included.
      attachOriginalToWebAPIRequestError: false,
      logger: toSlackLogger(options.log),
    });
    const queue = new SendQueue({ ratePerSecond: options.sendRatePerSecond ?? 1, burst: options.sendBurst ?? 3, now: options.paceNow });
    this.caller = new SlackCaller(this.client, queue, options.log, options.retry);
    this.users = new SlackUserDirectory(this.caller);
    this.poster = new IdempotentPoster(this.caller, options.store, this.now);
  }

  /** Who the bot is (auth.test, once): for ignoring our own events and building links. */
  identity(): Promise<SlackIdentity> {
    this.identityPromise ??= this.caller
      .call<{ user_id: string; bot_id?: string; team_id: string; url?: string }>('auth.test', {})
      .then((answer) => {
        this.workspaceUrl = answer.url;
        return { userId: answer.user_id, botId: answer.bot_id, teamId: answer.team_id, url: answer.url };
      })
      .catch((error: unknown) => {
        this.identityPromise = undefined;
        throw error;
      });
    return this.identityPromise;
  }

  async resolveChannel(nameOrId: string): Promise<string> {
    const value = nameOrId.trim();
    if (CHANNEL_ID.test(value) || USER_ID.test(value)) return value;
    const name = value.replace(/^#/, '').toLowerCase();
    const cached = this.channelIds.get(name);
    if (cached) return cached;
    let cursor: string | undefined;
    do {
      const page = await this.caller.call<{ channels?: { id: string; name: string }[]; response_metadata?: { next_cursor?: string } }>('conversations.list', {
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      // Everything seen is cached: a flow naming five channels costs one listing, not five.
      for (const channel of page.channels ?? []) this.channelIds.set(channel.name, channel.id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor && !this.channelIds.has(name));
    const found = this.channelIds.get(name);
    if (!found) {
      throw new ChatError('SLACK_CHANNEL_NOT_FOUND', `no channel named #${escapeSlackText(name).slice(0, 80)} that Sidekick can see; check the name, and invite the app if it is private`);
    }
    return found;
  }

  async post(channel: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage> {
    // Result, intent and waiting row in one read; posted already (on its own or folded into
    // another post's message) means nothing more to do.
    const records = await this.options.store.getPostRecords(postRecordKeys(idempotencyKey, message.foldWith !== undefined));
    if (records.result) return this.withUrl(records.result as PostedMessage);
    // A user id means their DM: posting there by the D… id keeps the crash check (history) possible.
    const channelId = USER_ID.test(channel.trim()) ? await this.openDm(channel.trim()) : await this.resolveChannel(channel);
    return this.withUrl(await this.postResolved(channelId, message, idempotencyKey, records));
  }

  /** Posts to a channel id, `records` being what the store holds for the key (no result yet). */
  private async postResolved(channelId: string, message: ChatMessage, key: string, records: PostRecords): Promise<PostedMessage> {
    if (message.foldWith) return this.postFolding(channelId, message, message.foldWith, key, records);
    return this.postParts(channelId, await this.translate(message), key, message.threadId, true, records);
  }

  private async postParts(channelId: string, parts: SlackMessagePart[], idempotencyKey: string, threadId?: string, firstPaced = true, known?: PostRecords): Promise<PostedMessage> {
    let first: PostedMessage | undefined;
    for (const [index, part] of parts.entries()) {
      // Each part has its own key, so a crash after part 2 of 4 resumes at part 3.
      const key = index === 0 ? idempotencyKey : `${idempotencyKey}#${index + 1}`;
      const posted = await this.poster.post(channelId, part, key, threadId, {
        ...(index === 0 && !firstPaced ? { paced: false } : {}),
        ...(index === 0 && known ? { known } : {}),
      });
      first ??= posted;
    }
    return first!;
  }

  /**
   * A post that may fold (see docs/architecture.md, "Durable delays"). Waiting for the channel's
   * turn, it is noted in the chat backlog and its job deferred. With the turn, it takes the waiting
   * posts of its incident for that channel and sends them and itself as one message; each taken
   * post gets the same result recorded, so its job finds it and sends nothing. A retry after a
   * failure (the intent exists) sends exactly what it took before, never more, so the message
   * found again after a crash is the one the records describe. A post that gets the turn at once,
   * with nothing of this process waiting for the channel, never touches the backlog.
   */
  private async postFolding(channelId: string, message: ChatMessage, fold: string, key: string, records: PostRecords): Promise<PostedMessage> {
    const { store } = this.options;
    const now = this.now();
    const thread = message.threadId;
    const mine = records.waiting;
    if (mine?.takenBy && mine.takenBy !== key) throw foldedError();
    const tried = records.intent !== undefined;
    if (!tried) {
      try {
        this.caller.pace(channelId, key);
      } catch (error) {
        if ((error as ChatError).code === 'SLACK_PACED') {
          const { foldWith: _, ...plain } = message;
          await store.addChatBacklog({ key, channel: channelId, ...(thread ? { thread } : {}), fold, message: plain, createdAt: now.toISOString() });
        }
        throw error;
      }
      // The turn is ours, this post never waited, and no post of this process waits for the
      // channel: nothing to fold, so it goes out alone without touching the backlog. (Rows that
      // wait from before a restart or on another instance take each other at their own turns.)
      if (!mine && !this.caller.hasWaiting(channelId)) return this.postParts(channelId, await this.translate(message), key, thread, false, records);
    }
    const staleBefore = new Date(now.getTime() - FOLD_STALE_MS).toISOString();
    const take = await store.takeChatBacklog({ channel: channelId, thread, fold, by: key, now: now.toISOString(), staleBefore, limit: MAX_FOLDED, onlyHeld: tried });
    if (take.heldBy) throw foldedError();
    let others = take.taken.filter((entry) => entry.key !== key);
    const messages = [...take.taken.map((entry) => entry.message), ...(take.taken.some((entry) => entry.key === key) ? [] : [message])];
    let parts = await this.translate(others.length > 0 ? foldMessages(messages) : message);
    if (others.length > 0 && parts.length > 1) {
      // Too long for one message: the others wait for their own turns.
      await store.releaseChatBacklog(key);
      others = [];
      parts = await this.translate(message);
    }
    const posted = await this.postParts(channelId, parts, key, thread, tried, records);
    for (const other of others) {
      await store.putEffect(postResultKey(other.key), posted, now.toISOString());
      this.caller.releaseTurn(channelId, other.key);
    }
    if (mine || take.taken.length > 0) await store.removeChatBacklog([key, ...others.map((entry) => entry.key)]);
    if (others.length > 0) this.options.log.info({ channel: channelId, folded: others.length + 1 }, 'slack: waiting posts of one incident sent as one message');
    return posted;
  }

  /**
   * Edits a message in place. Slack cannot grow one message past its limits, so content that no
   * longer fits continues in the message's thread (posted once per content, however often retried).
   */
  async update(target: PostedMessage, message: ChatMessage): Promise<void> {
    const parts = await this.translate(message, { maxBlocks: 49 });
    const [first, ...rest] = parts;
    const blocks = rest.length > 0 ? [...(first.blocks ?? []), { type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: '_continued in the thread_' }] }] : first.blocks;
    await this.caller.call('chat.update', { channel: target.channel, ts: target.id, text: first.text, ...(blocks ? { blocks } : {}) }, { channel: target.channel });
    const digest = createHash('sha256').update(JSON.stringify(message)).digest('hex').slice(0, 16);
    for (const [index, part] of rest.entries()) {
      await this.poster.post(target.channel, part, `update:${target.channel}:${target.id}:${digest}#${index + 2}`, target.id);
    }
  }

  async directMessage(userId: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage> {
    const records = await this.options.store.getPostRecords(postRecordKeys(idempotencyKey, message.foldWith !== undefined));
    if (records.result) return this.withUrl(records.result as PostedMessage);
    return this.withUrl(await this.postResolved(await this.openDm(userId), message, idempotencyKey, records));
  }

  private async openDm(userId: string): Promise<string> {
    let channel = this.dmChannels.get(userId);
    if (!channel) {
      const opened = await this.caller.call<{ channel: { id: string } }>('conversations.open', { users: userId });
      channel = opened.channel.id;
      this.dmChannels.set(userId, channel);
    }
    return channel;
  }

  async openChannel(request: { name: string; topic?: string; members?: string[] }, idempotencyKey: string): Promise<OpenedChannel> {
    const opened = await openSlackChannel(
      { caller: this.caller, store: this.options.store, users: this.users, log: this.options.log, now: this.now, identity: () => this.identity() },
      request,
      idempotencyKey,
    );
    this.channelIds.set(opened.name, opened.id);
    return { ...opened, url: this.channelUrl(opened.id) };
  }

  history(channel: string, since?: string): Promise<ChatHistoryMessage[]> {
    return this.resolveChannel(channel).then((id) => readSlackHistory(this.caller, this.users, id, since));
  }

  channelUrl(channel: string): string | undefined {
    if (!CHANNEL_ID.test(channel)) return undefined;
    return this.workspaceUrl ? `${this.workspaceUrl.replace(/\/?$/, '/')}archives/${channel}` : `https://slack.com/app_redirect?channel=${channel}`;
  }

  /** Bookmarks a link in a channel (the meeting link in the incident channel). */
  async bookmark(channel: string, title: string, link: string): Promise<void> {
    await this.caller.call('bookmarks.add', { channel_id: await this.resolveChannel(channel), title: title.slice(0, 200), type: 'link', link });
  }

  /** Pins a posted message (the playbook); pinning twice is not an error. */
  async pin(target: PostedMessage): Promise<void> {
    try {
      await this.caller.call('pins.add', { channel: target.channel, timestamp: target.id });
    } catch (error) {
      if ((error as ChatError).details?.slackError !== 'already_pinned') throw error;
    }
  }

  /**
   * Sets the channel topic (at most 250 characters, Slack's limit). Shortened before escaping, so
   * an entity (`&amp;`) is never cut in half.
   */
  async setTopic(channel: string, topic: string): Promise<void> {
    let plain = topic.replace(/\s+/g, ' ').trim();
    if (escapeSlackText(plain).length > 250) {
      while (escapeSlackText(plain).length > 249) plain = plain.slice(0, -1);
      plain += '…';
    }
    await this.caller.call('conversations.setTopic', { channel: await this.resolveChannel(channel), topic: escapeSlackText(plain) });
  }

  /** The original value of a button whose value was too long for Slack (see `BUTTON_REF_PREFIX`). */
  async resolveButtonValue(value: string): Promise<string | undefined> {
    if (!value.startsWith(BUTTON_REF_PREFIX)) return value;
    const stored = await this.options.store.getEffect(`slack:button:${value.slice(BUTTON_REF_PREFIX.length)}`);
    return typeof stored === 'string' ? stored : undefined;
  }

  private async translate(message: ChatMessage, extra: Pick<TranslateOptions, 'maxBlocks'> = {}): Promise<SlackMessagePart[]> {
    const pending: Promise<unknown>[] = [];
    const parts = translateToBlockKit(message, {
      ...extra,
      shortenButtonValue: (value) => {
        const digest = createHash('sha256').update(value).digest('hex');
        pending.push(this.options.store.putEffect(`slack:button:${digest}`, value, this.now().toISOString()));
        return `${BUTTON_REF_PREFIX}${digest}`;
      },
    });
    await Promise.all(pending);
    return parts;
  }

  private withUrl(posted: PostedMessage): PostedMessage {
    if (posted.url || !this.workspaceUrl || !CHANNEL_ID.test(posted.channel)) return posted;
    return { ...posted, url: `${this.workspaceUrl.replace(/\/?$/, '/')}archives/${posted.channel}/p${posted.id.replace('.', '')}` };
  }
}

export interface SlackIdentity {
  userId: string;
  botId?: string;
  teamId: string;
  url?: string;
}
