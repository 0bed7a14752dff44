import { sql } from 'kysely';
import type { ChatMessage } from '../chat.js';
import type { Millis, JsonText } from '../../store/schema.js';
import type { QueryContext } from '../../store/query-context.js';
import { clampLimit, fromJsonText, toIso, toJsonText, toMillis } from '../../store/encode.js';

/*
 * Slack's paced-post backlog (slack-chat.ts: folding): its table and queries (the store offers them
 * as methods: store/store.ts, CONCERNS). Its migration stays with the others in store/migrations/.
 */

/** A post waiting for its paced channel. */
export interface ChatBacklogEntry {
  /** The post's idempotency key. */
  key: string;
  channel: string;
  thread?: string;
  /** What may share one message: the incident's id. */
  fold: string;
  message: ChatMessage;
  createdAt: string;
  /** The post whose message carries this one, once one took it. */
  takenBy?: string;
}

/** Posts waiting for a paced chat channel; the next send folds those of one incident together. */
export interface ChatBacklogTable {
  key: string;
  channel: string;
  thread: string;
  fold: string;
  message: JsonText;
  created_at: Millis;
  taken_by: string | null;
  taken_at: Millis | null;
}

/** Notes a post waiting for its paced channel; the same key twice is kept once (a retried job). */
export async function addChatBacklog(ctx: QueryContext, entry: Omit<ChatBacklogEntry, 'takenBy'>): Promise<void> {
  await ctx.db
    .insertInto('chat_backlog')
    .values({
      key: entry.key,
      channel: entry.channel,
      thread: entry.thread ?? '',
      fold: entry.fold,
      message: toJsonText(entry.message),
      created_at: toMillis(entry.createdAt, 'createdAt'),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * The post `by` has its channel's turn and takes the waiting posts of its incident (same channel,
 * thread and `fold`) to send them as one message, oldest first, its own waiting row included.
 * Rows another post took count as free again once taken before `staleBefore` (that sender gave up).
 * `onlyHeld`: take nothing new, return what `by` already holds (a retry after it may have posted:
 * the message must stay the one it tried). Returns the rows taken, or who holds `by`'s own row
 * when another post took it first (then nothing is taken: that post sends this one).
 */
export async function takeChatBacklog(
  ctx: QueryContext,
  take: { channel: string; thread?: string; fold: string; by: string; now: string; staleBefore: string; limit: number; onlyHeld?: boolean },
): Promise<{ taken: ChatBacklogEntry[]; heldBy?: string }> {
  const now = toMillis(take.now, 'now');
  const stale = toMillis(take.staleBefore, 'staleBefore');
  const free = sql<boolean>`(taken_by is null or taken_by = ${take.by} or taken_at < ${stale})`;
  return ctx.transaction(async (tx) => {
    const own = await tx.db.selectFrom('chat_backlog').select(['taken_by', 'taken_at']).where('key', '=', take.by).executeTakeFirst();
    if (own?.taken_by && own.taken_by !== take.by && Number(own.taken_at) >= stale) return { taken: [], heldBy: own.taken_by };
    if (!take.onlyHeld) {
      const candidates = tx.db
        .selectFrom('chat_backlog')
        .select('key')
        .where('channel', '=', take.channel)
        .where('thread', '=', take.thread ?? '')
        .where('fold', '=', take.fold)
        .where(free)
        .orderBy('created_at')
        .orderBy('key')
        .limit(clampLimit(take.limit, 10, 100));
      // The condition again on the update: on PostgreSQL a concurrent taker may have won a row.
      await tx.db.updateTable('chat_backlog').set({ taken_by: take.by, taken_at: now }).where('key', 'in', candidates).where(free).execute();
      await tx.db.updateTable('chat_backlog').set({ taken_by: take.by, taken_at: now }).where('key', '=', take.by).where(free).execute();
    }
    const rows = await tx.db.selectFrom('chat_backlog').selectAll().where('taken_by', '=', take.by).orderBy('created_at').orderBy('key').execute();
    return { taken: rows.map(toEntry) };
  });
}

/** The waiting row of one post, if it has one. */
export async function getChatBacklog(ctx: QueryContext, key: string): Promise<ChatBacklogEntry | undefined> {
  const row = await ctx.db.selectFrom('chat_backlog').selectAll().where('key', '=', key).executeTakeFirst();
  return row && toEntry(row);
}

/** Frees what `by` took without sending it (its own post went out another way). */
export async function releaseChatBacklog(ctx: QueryContext, by: string): Promise<void> {
  await ctx.db.updateTable('chat_backlog').set({ taken_by: null, taken_at: null }).where('taken_by', '=', by).where('key', '<>', by).execute();
}

/** Forgets waiting posts once they went out. */
export async function removeChatBacklog(ctx: QueryContext, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await ctx.db
    .deleteFrom('chat_backlog')
    .where('key', 'in', [...keys])
    .execute();
}

function toEntry(row: ChatBacklogTable): ChatBacklogEntry {
  return {
    key: row.key,
    channel: row.channel,
    ...(row.thread ? { thread: row.thread } : {}),
    fold: row.fold,
    message: fromJsonText<ChatMessage>(row.message),
    createdAt: toIso(row.created_at),
    ...(row.taken_by ? { takenBy: row.taken_by } : {}),
  };
}
