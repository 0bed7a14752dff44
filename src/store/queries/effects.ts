import type { QueryContext } from '../query-context.js';
import { toJsonText, toMillis } from '../encode.js';

/** The recorded result of an outside effect, or undefined if it was never recorded. */
export async function getEffect(ctx: QueryContext, key: string): Promise<unknown | undefined> {
  const row = await ctx.db.selectFrom('effects').select('result').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.result) as unknown) : undefined;
}

/** Records an effect's result; the first write wins (an undefined result is stored as null). */
export async function putEffect(ctx: QueryContext, key: string, result: unknown, now: string): Promise<void> {
  await ctx.db
    .insertInto('effects')
    .values({ key, result: toJsonText(result), created_at: toMillis(now, 'now') })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
