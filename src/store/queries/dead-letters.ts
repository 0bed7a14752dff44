import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { DeadLettersTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { clampLimit, toIso, toMillis } from '../encode.js';

/** A request that could not be turned into alerts, kept as it came. */
export interface DeadLetter {
  id: string;
  source: string;
  receivedAt: string;
  reason: string;
  body: string;
  headers: Record<string, string>;
}

/** Keeps a request that could not be turned into alerts, for inspection and replay. */
export async function addDeadLetter(ctx: QueryContext, letter: Omit<DeadLetter, 'id'>): Promise<DeadLetter> {
  const row = await ctx.db
    .insertInto('dead_letters')
    .values({
      id: randomUUID(),
      source: letter.source,
      received_at: toMillis(letter.receivedAt, 'deadLetter.receivedAt'),
      reason: letter.reason,
      // JSON-encoded so replay gets the exact body back, NUL characters included.
      body: JSON.stringify(letter.body),
      headers: JSON.stringify(letter.headers ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDeadLetter(row);
}

/** Newest first. */
export async function listDeadLetters(ctx: QueryContext, limit?: number): Promise<DeadLetter[]> {
  const rows = await ctx.db
    .selectFrom('dead_letters')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(clampLimit(limit, 100, 10_000))
    .execute();
  return rows.map(toDeadLetter);
}

/** One dead letter. */
export async function getDeadLetter(ctx: QueryContext, id: string): Promise<DeadLetter | undefined> {
  const row = await ctx.db.selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDeadLetter(row) : undefined;
}

/** Forgets a dead letter (after a successful replay). */
export async function deleteDeadLetter(ctx: QueryContext, id: string): Promise<void> {
  await ctx.db.deleteFrom('dead_letters').where('id', '=', id).execute();
}

function toDeadLetter(row: Selectable<DeadLettersTable>): DeadLetter {
  return {
    id: row.id,
    source: row.source,
    receivedAt: toIso(row.received_at),
    reason: row.reason,
    body: JSON.parse(row.body) as string,
    headers: JSON.parse(row.headers) as Record<string, string>,
  };
}
