import type { QueryContext } from '../query-context.js';

/** A small stored value (a generated secret, a schema fact). */
export async function getSetting(ctx: QueryContext, key: string): Promise<string | undefined> {
  const row = await ctx.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Sets a value unless one exists and returns the stored one: two instances agree on one secret. */
export async function initSetting(ctx: QueryContext, key: string, value: string): Promise<string> {
  await ctx.db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await ctx.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
