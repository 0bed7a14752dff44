import { errorKind } from '../errors/sidekick-error.js';
import type { Store } from '../store/store.js';
import type { User } from './user.js';
import { LOGIN_PATTERN } from './user.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './hash-password.js';
import { cleanDisplayName } from './clean-display-name.js';

export type UserErrorCode = 'USER_NAME_INVALID' | 'USER_EXISTS' | 'USER_NOT_FOUND' | 'USER_PASSWORD_WEAK' | 'USER_IS_SSO';

/** A refused account change, with a stable code and what to do about it. */
export class UserError extends errorKind<UserErrorCode>('UserError') {}

/** Adds a local account with a hashed password (`sidekick users add`). */
export async function addLocalUser(store: Store, input: { login: string; password: string; displayName?: string; now: string }): Promise<User> {
  const login = input.login.trim().toLowerCase();
  if (!LOGIN_PATTERN.test(login))
    throw new UserError('USER_NAME_INVALID', `"${input.login.slice(0, 64)}" is not a login name: use 1-64 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit`);
  checkPassword(input.password);
  if (await store.getUserByLogin(login)) throw new UserError('USER_EXISTS', `a user "${login}" exists already; change the password with \`sidekick users passwd ${login}\``);
  const displayName = cleanDisplayName(input.displayName ?? login) ?? login;
  const passwordHash = await hashPassword(input.password);
  try {
    return await store.addUser({ id: `user:${login}`, login, displayName, passwordHash, createdAt: input.now, updatedAt: input.now });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'STORE_CONFLICT') throw new UserError('USER_EXISTS', `a user "${login}" exists already`);
    throw error;
  }
}

/** A new password for a local account; its sessions end (`sidekick users passwd`). */
export async function changePassword(store: Store, login: string, password: string, now: string): Promise<void> {
  const user = await requireUser(store, login);
  if (user.oidc) throw new UserError('USER_IS_SSO', `"${user.login}" signs on through single sign-on and has no password here`);
  checkPassword(password);
  await store.setUserPassword(user.id, await hashPassword(password), now);
}

/** Removes an account (local or single sign-on); its sessions end at their next request. */
export async function removeUser(store: Store, login: string): Promise<User> {
  const user = await requireUser(store, login);
  await store.removeUser(user.id);
  return user;
}

async function requireUser(store: Store, login: string): Promise<User> {
  const user = await store.getUserByLogin(login.trim().toLowerCase());
  if (!user) throw new UserError('USER_NOT_FOUND', `no user "${login.slice(0, 64)}"; \`sidekick users list\` shows them`);
  return user;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UserError('USER_PASSWORD_WEAK', `the password is ${password.length} characters; use at least ${MIN_PASSWORD_LENGTH}`);
}
