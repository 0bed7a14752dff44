import { randomUUID } from 'node:crypto';
import { sql, type Generated, type Selectable } from 'kysely';
import type { ChatBlock } from '../chat.js';
import type { Millis, JsonText } from '../../store/schema.js';
import type { QueryContext } from '../../store/query-context.js';
import { StoreError } from '../../store/store-error.js';
import { compileOnce } from '../../store/compile-once.js';
import { clampLimit, dropUndefined, fromJsonTextOrUndefined, orUndefined, toIso, toIsoOrUndefined, toJsonTextOrNull, toMillis } from '../../store/encode.js';

/*
 * The built-in room's tables and queries (the store offers them as methods: store/store.ts,
 * CONCERNS). Its migrations stay with the others in store/migrations/.
 */

export interface RoomChannel {
  id: string;
  name: string;
  topic?: string;
  createdAt: string;
}

export interface RoomMessage {
  id: string;
  /** Monotonic per installation, for live updates. */
  seq: number;
  channel: string;
  threadId?: string;
  userId: string;
  userName: string;
  text: string;
  blocks?: ChatBlock[];
  at: string;
  editedAt?: string;
  fromBot: boolean;
}

export interface RoomChannelsTable {
  id: string;
  name: string;
  topic: string | null;
  created_at: Millis;
}

export interface RoomMessagesTable {
  seq: Generated<number>;
  id: string;
  channel: string;
  thread_id: string | null;
  user_id: string;
  user_name: string;
  text: string;
  blocks: JsonText | null;
  at: Millis;
  edited_at: Millis | null;
  from_bot: number;
  idempotency_key: string | null;
}

type NewRoomMessage = Omit<RoomMessage, 'id' | 'seq'> & { idempotencyKey?: string };

/** Creates a channel by name unless it exists; a given topic replaces the stored one. */
export async function ensureRoomChannel(ctx: QueryContext, name: string, topic: string | undefined, now: string): Promise<RoomChannel> {
  const createdAt = toMillis(now, 'now');
  return ctx.transaction(async (tx) => {
    await tx.db
      .insertInto('room_channels')
      .values({ id: randomUUID(), name, topic: topic ?? null, created_at: createdAt })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    if (topic !== undefined) {
      await tx.db.updateTable('room_channels').set({ topic }).where('name', '=', name).execute();
    }
    const row = await tx.db.selectFrom('room_channels').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
    return toRoomChannel(row);
  });
}

/** By id, else by name (`name`, when the stored spelling of the name differs from `idOrName`). */
export async function getRoomChannel(ctx: QueryContext, idOrName: string, name: string = idOrName): Promise<RoomChannel | undefined> {
  const rows = await ctx.db
    .selectFrom('room_channels')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', name)]))
    .execute();
  const row = rows.find((r) => r.id === idOrName) ?? rows[0];
  return row ? toRoomChannel(row) : undefined;
}

/** Every channel, oldest first. */
export async function listRoomChannels(ctx: QueryContext): Promise<RoomChannel[]> {
  const rows = await ctx.db.selectFrom('room_channels').selectAll().orderBy('created_at').orderBy('name').execute();
  return rows.map(toRoomChannel);
}

/** One per message the room receives (every bot post): compiled once (store/compile-once.ts). */
const insertRoomMessage = compileOnce(
  (
    db,
    id: string,
    channel: string,
    threadId: string | null,
    userId: string,
    userName: string,
    text: string,
    blocks: JsonText | null,
    at: Millis,
    editedAt: Millis | null,
    fromBot: number,
    idempotencyKey: string | null,
  ) =>
    db
      .insertInto('room_messages')
      .values({
        id,
        channel,
        thread_id: threadId,
        user_id: userId,
        user_name: userName,
        text,
        blocks,
        at,
        edited_at: editedAt,
        from_bot: fromBot,
        idempotency_key: idempotencyKey,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll(),
);

/**
 * Adds a message once per idempotency key (a repeat returns the first). On PostgreSQL a
 * transaction advisory lock makes `seq` commit in order, so `afterSeq` polling never skips one.
 * SQLite writes one statement at a time, so there the insert needs no transaction of its own: a
 * message is one statement (and one commit), plus a read only when its key was already used.
 */
export async function addRoomMessage(ctx: QueryContext, message: NewRoomMessage): Promise<RoomMessage> {
  const at = toMillis(message.at, 'message.at');
  const editedAt = message.editedAt === undefined ? null : toMillis(message.editedAt, 'message.editedAt');
  const add = async (tx: QueryContext) => {
    const [row] = (
      await insertRoomMessage(
        tx.db,
        randomUUID(),
        message.channel,
        message.threadId ?? null,
        message.userId,
        message.userName,
        message.text,
        toJsonTextOrNull(message.blocks),
        at,
        editedAt,
        message.fromBot ? 1 : 0,
        message.idempotencyKey ?? null,
      )
    ).rows;
    if (row) return toRoomMessage(row);
    if (message.idempotencyKey === undefined) {
      throw new StoreError('STORE_CONFLICT', 'a room message id collided; retry the call');
    }
    const first = await tx.db.selectFrom('room_messages').selectAll().where('idempotency_key', '=', message.idempotencyKey).executeTakeFirstOrThrow();
    return toRoomMessage(first);
  };
  if (!ctx.caps.advisoryLocks) return add(ctx);
  return ctx.transaction(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('sidekick:room_messages'))`.execute(tx.db);
    return add(tx);
  });
}

/** Edits a message's text (and blocks, when the key is present: undefined removes them). */
export async function updateRoomMessage(ctx: QueryContext, id: string, patch: { text: string; blocks?: ChatBlock[]; editedAt: string }): Promise<void> {
  const hasBlocks = Object.prototype.hasOwnProperty.call(patch, 'blocks');
  await ctx.db
    .updateTable('room_messages')
    .set({
      text: patch.text,
      edited_at: toMillis(patch.editedAt, 'editedAt'),
      ...(hasBlocks ? { blocks: toJsonTextOrNull(patch.blocks) } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** One message. */
export async function getRoomMessage(ctx: QueryContext, id: string): Promise<RoomMessage | undefined> {
  const row = await ctx.db.selectFrom('room_messages').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRoomMessage(row) : undefined;
}

/** Oldest first; `afterSeq` for live polling, `since` by time. */
export async function listRoomMessages(ctx: QueryContext, filter: { channel?: string; afterSeq?: number; since?: string; limit?: number }): Promise<RoomMessage[]> {
  let query = ctx.db.selectFrom('room_messages').selectAll();
  if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
  if (filter.afterSeq !== undefined && Number.isFinite(filter.afterSeq)) query = query.where('seq', '>', filter.afterSeq);
  if (filter.since !== undefined) query = query.where('at', '>=', toMillis(filter.since, 'since'));
  const rows = await query
    .orderBy('seq')
    .limit(clampLimit(filter.limit, 500, 100_000))
    .execute();
  return rows.map(toRoomMessage);
}

function toRoomChannel(row: Selectable<RoomChannelsTable>): RoomChannel {
  return dropUndefined<RoomChannel>({
    id: row.id,
    name: row.name,
    topic: orUndefined(row.topic),
    createdAt: toIso(row.created_at),
  });
}

function toRoomMessage(row: Selectable<RoomMessagesTable>): RoomMessage {
  return dropUndefined<RoomMessage>({
    id: row.id,
    seq: Number(row.seq),
    channel: row.channel,
    threadId: orUndefined(row.thread_id),
    userId: row.user_id,
    userName: row.user_name,
    text: row.text,
    blocks: fromJsonTextOrUndefined<ChatBlock[]>(row.blocks),
    at: toIso(row.at),
    editedAt: toIsoOrUndefined(row.edited_at),
    fromBot: Number(row.from_bot) !== 0,
  });
}
