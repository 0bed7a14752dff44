import type { Selectable } from 'kysely';
import type { User } from '../../people/user.js';
import type { UsersTable } from '../schema.js';
import { countRows, type QueryContext } from '../query-context.js';
import { StoreError } from '../store-error.js';
import { dropUndefined, toIso, toMillis } from '../encode.js';

/** Adds an account; a login or single sign-on identity that exists already is a STORE_CONFLICT. */
export async function addUser(ctx: QueryContext, user: Omit<User, 'sessionEpoch'>): Promise<User> {
  const result = await ctx.db
    .insertInto('users')
    .values({
      id: user.id,
      login: user.login,
      display_name: user.displayName,
      password_hash: user.passwordHash ?? null,
      oidc_issuer: user.oidc?.issuer ?? null,
      oidc_subject: user.oidc?.subject ?? null,
      session_epoch: 0,
      created_at: toMillis(user.createdAt, 'user.createdAt'),
      updated_at: toMillis(user.updatedAt, 'user.updatedAt'),
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) throw new StoreError('STORE_CONFLICT', `a user "${user.login}" exists already`);
  return (await getUser(ctx, user.id))!;
}

export async function getUser(ctx: QueryContext, id: string): Promise<User | undefined> {
  const row = await ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function getUserByLogin(ctx: QueryContext, login: string): Promise<User | undefined> {
  const row = await ctx.db.selectFrom('users').selectAll().where('login', '=', login.toLowerCase()).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

/** By login name. */
export async function listUsers(ctx: QueryContext): Promise<User[]> {
  const rows = await ctx.db.selectFrom('users').selectAll().orderBy('login').execute();
  return rows.map(toUser);
}

/** True when it existed. Its sessions end with it (the session check finds no user). */
export async function removeUser(ctx: QueryContext, id: string): Promise<boolean> {
  const result = await ctx.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A new password ends every session of the user. */
export async function setUserPassword(ctx: QueryContext, id: string, passwordHash: string, now: string): Promise<void> {
  await ctx.db
    .updateTable('users')
    .set((eb) => ({ password_hash: passwordHash, session_epoch: eb('session_epoch', '+', 1), updated_at: toMillis(now, 'now') }))
    .where('id', '=', id)
    .execute();
}

/** The name a single sign-on user shows, refreshed from the provider's claims at each login. */
export async function setUserDisplayName(ctx: QueryContext, id: string, displayName: string, now: string): Promise<void> {
  await ctx.db
    .updateTable('users')
    .set({ display_name: displayName, updated_at: toMillis(now, 'now') })
    .where('id', '=', id)
    .execute();
}

export async function countUsers(ctx: QueryContext): Promise<number> {
  return countRows(ctx.db.selectFrom('users'));
}

function toUser(row: Selectable<UsersTable>): User {
  return dropUndefined<User>({
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    passwordHash: row.password_hash ?? undefined,
    oidc: row.oidc_issuer && row.oidc_subject ? { issuer: row.oidc_issuer, subject: row.oidc_subject } : undefined,
    sessionEpoch: Number(row.session_epoch),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  });
}
