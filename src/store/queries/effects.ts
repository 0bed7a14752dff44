import type { QueryContext } from '../query-context.js';
import { compileOnce } from '../compile-once.js';
import { toJsonText, toMillis } from '../encode.js';

// Several reads and writes per chat post: compiled once (compile-once.ts).
const selectEffect = compileOnce((db, key: string) => db.selectFrom('effects').select('result').where('key', '=', key));
const insertEffect = compileOnce((db, key: string, result: string, createdAt: number) =>
  db
    .insertInto('effects')
    .values({ key, result, created_at: createdAt })
    .onConflict((oc) => oc.doNothing()),
);

/** The recorded result of an outside effect, or undefined if it was never recorded. */
export async function getEffect(ctx: QueryContext, key: string): Promise<unknown | undefined> {
  const [row] = (await selectEffect(ctx.db, key)).rows;
  return row ? (JSON.parse(row.result) as unknown) : undefined;
}

/**
 * Records an effect's result; the first write wins (an undefined result is stored as null).
 * True when this call recorded it, false when a result was there already.
 */
export async function putEffect(ctx: QueryContext, key: string, result: unknown, now: string): Promise<boolean> {
  const { numAffectedRows } = await insertEffect(ctx.db, key, toJsonText(result), toMillis(now, 'now'));
  return numAffectedRows !== undefined && numAffectedRows > 0n;
}
