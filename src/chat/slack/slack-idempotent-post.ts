import { createHash } from 'node:crypto';
import type { PostedMessage } from '../chat.js';
import type { PostRecordKeys, PostRecords, Store } from '../../store/store.js';
import type { SlackMessagePart } from './block-kit.js';
import type { SlackCaller } from './slack-caller.js';

/**
 * Posting at most once per idempotency key, even across a crash.
 *
 * 1. The result of a post is recorded as an effect; a repeat returns it without calling Slack.
 * 2. Before the first attempt an "intent" is recorded. If a later call finds the intent but no
 *    result, the process died between posting and recording (or the response was lost), so we
 *    look for the message in the channel before posting again.
 * 3. Every post carries `metadata: { event_type: 'sidekick_post', event_payload: { key } }`: that
 *    is how the message is recognised in conversations.history / conversations.replies.
 *
 * One attempt per call: a failure throws (retryable or not) and the job runs again later. The
 * next run finds the intent, so after an ambiguous failure (a 5xx or a dropped connection may
 * have posted) it looks in the channel first, exactly as after a crash.
 */

export const POST_EVENT_TYPE = 'sidekick_post';

/** The effect holding a post's result (the message), recorded once it went out. */
export const postResultKey = (key: string) => `slack:post:${key}`;
/** The effect noting that a post's first attempt began (where and when). */
export const postIntentKey = (key: string) => `slack:post-intent:${key}`;

/** The records to read before posting `key`; with `withBacklog`, its waiting row too (a post that may fold). */
export function postRecordKeys(key: string, withBacklog = false): PostRecordKeys {
  return { result: postResultKey(key), intent: postIntentKey(key), ...(withBacklog ? { backlog: key } : {}) };
}

interface HistoryMessage {
  ts: string;
  thread_ts?: string;
  metadata?: { event_type?: string; event_payload?: { key?: unknown } };
}

/** Message metadata is small; very long keys are hashed so they always fit. */
export function metadataKey(key: string): string {
  return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export class IdempotentPoster {
  constructor(
    private readonly caller: SlackCaller,
    private readonly store: Store,
    private readonly now: () => Date,
    /** How far back to look for an earlier attempt, beyond when it was recorded (clock skew). */
    private readonly lookBackMs = 120_000,
  ) {}

  /**
   * Posts `part` to `channel` once for `key`. `known`: the key's records as the caller just read
   * them (`postRecordKeys`), so they are not read again.
   */
  async post(channel: string, part: SlackMessagePart, key: string, threadTs?: string, options: { paced?: boolean; known?: PostRecords } = {}): Promise<PostedMessage> {
    const resultKey = postResultKey(key);
    const intentKey = postIntentKey(key);
    const records = options.known ?? (await this.store.getPostRecords({ result: resultKey, intent: intentKey }));
    const done = records.result as PostedMessage | undefined;
    if (done) return done;
    const intent = records.intent as { channel: string; at: string } | undefined;
    const since = intent ? Date.parse(intent.at) : this.now().getTime();
    if (intent) {
      const found = await this.find(intent.channel, key, threadTs, since);
      if (found) return this.record(resultKey, found);
    } else {
      await this.store.putEffect(intentKey, { channel, at: this.now().toISOString() }, this.now().toISOString());
    }
    const answer = await this.caller.call<{ channel: string; ts: string }>(
      'chat.postMessage',
      {
        channel,
        text: part.text,
        ...(part.blocks ? { blocks: part.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        metadata: { event_type: POST_EVENT_TYPE, event_payload: { key: metadataKey(key) } },
        unfurl_links: false,
        unfurl_media: false,
      },
      // `paced: false`: the caller already has the channel's turn (a fold sending its backlog).
      options.paced === false ? {} : { channel, paceKey: key },
    );
    return this.record(resultKey, { channel: answer.channel, id: answer.ts });
  }

  private async record(resultKey: string, posted: PostedMessage): Promise<PostedMessage> {
    if (await this.store.putEffect(resultKey, posted, this.now().toISOString())) return posted;
    // putEffect keeps the first result: if another instance won a race, return its answer.
    return ((await this.store.getEffect(resultKey)) as PostedMessage | undefined) ?? posted;
  }

  /** Looks for a message we posted with this key since `since` (in the thread when it was a reply). */
  async find(channel: string, key: string, threadTs: string | undefined, since: number): Promise<PostedMessage | undefined> {
    const wanted = metadataKey(key);
    const oldest = ((since - this.lookBackMs) / 1000).toFixed(6);
    let cursor: string | undefined;
    // Bounded: a key is looked for among recent messages only, at most ten pages.
    for (let page = 0; page < 10; page++) {
      const answer = await this.caller.call<{ messages?: HistoryMessage[]; response_metadata?: { next_cursor?: string } }>(threadTs ? 'conversations.replies' : 'conversations.history', {
        channel,
        ...(threadTs ? { ts: threadTs } : {}),
        oldest,
        limit: 200,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      });
      const hit = (answer.messages ?? []).find((m) => m.metadata?.event_type === POST_EVENT_TYPE && m.metadata.event_payload?.key === wanted);
      if (hit) return { channel, id: hit.ts };
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }
}
