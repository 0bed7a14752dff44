import { sql } from 'kysely';
import type { QueryContext } from '../query-context.js';
import { compileOnce } from '../compile-once.js';

/** What is known of one chat post before sending it: its result, its intent, its waiting row. */
export interface PostRecords {
  /** The recorded result effect, if the post went out (on its own or carried by another). */
  result?: unknown;
  /** The recorded intent effect, if an attempt began. */
  intent?: unknown;
  /** Its chat_backlog row, if it ever waited for its channel; `takenBy` once another post took it. */
  waiting?: { takenBy?: string };
}

/** The keys to read: two effects and, for a post that may fold, its chat_backlog row. */
export interface PostRecordKeys {
  result: string;
  intent: string;
  backlog?: string;
}

interface PostRecordRow {
  key: string;
  /** An effect's JSON text; null on the waiting row. */
  result: string | null;
  taken_by: string | null;
  kind: string;
}

// Read before every chat post: one statement instead of one per record, compiled once.
const selectEffects = compileOnce((db, result: string, intent: string) =>
  db
    .selectFrom('effects')
    .select(['key', 'result', sql<string | null>`null`.as('taken_by'), sql<string>`'effect'`.as('kind')])
    .where('key', 'in', [result, intent]),
);
const selectEffectsAndBacklog = compileOnce((db, result: string, intent: string, backlog: string) =>
  db
    .selectFrom('effects')
    .select(['key', 'result', sql<string | null>`null`.as('taken_by'), sql<string>`'effect'`.as('kind')])
    .where('key', 'in', [result, intent])
    .$castTo<PostRecordRow>()
    .unionAll(
      db
        .selectFrom('chat_backlog')
        .select(['key', sql<string | null>`null`.as('result'), 'taken_by', sql<string>`'backlog'`.as('kind')])
        .where('key', '=', backlog),
    ),
);

/** Reads a post's result and intent effects, and its waiting row when `backlog` is given, in one statement. */
export async function getPostRecords(ctx: QueryContext, keys: PostRecordKeys): Promise<PostRecords> {
  const { rows } = keys.backlog === undefined ? await selectEffects(ctx.db, keys.result, keys.intent) : await selectEffectsAndBacklog(ctx.db, keys.result, keys.intent, keys.backlog);
  const records: PostRecords = {};
  for (const row of rows) {
    if (row.kind === 'backlog') records.waiting = row.taken_by ? { takenBy: row.taken_by } : {};
    else if (row.key === keys.result) records.result = JSON.parse(row.result as string) as unknown;
    else records.intent = JSON.parse(row.result as string) as unknown;
  }
  return records;
}
