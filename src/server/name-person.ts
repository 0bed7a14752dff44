import type { Runtime } from '../runtime/create-runtime.js';
import type { Person } from '../people/user.js';
import { cleanDisplayName } from '../people/clean-display-name.js';
import { HttpError } from './http-error.js';

/**
 * The person a role is handed to: an account by its login (`user`), or someone without an account
 * here by name (a Slack or Teams user, a colleague on the phone), kept as `name:<name>`.
 */
export async function namedPerson(runtime: Runtime, user: string | undefined, name: string | undefined): Promise<Person> {
  if (user) {
    const found = await runtime.store.getUserByLogin(user.replace(/^@/, ''));
    if (!found) throw new HttpError(404, 'USER_NOT_FOUND', `no account "${user.slice(0, 64)}"; name the person instead ({"name": "…"})`);
    return { userId: found.id, name: found.displayName };
  }
  const clean = cleanDisplayName(name ?? '');
  if (!clean) throw new HttpError(400, 'NAME_INVALID', 'give a name of 1 to 80 visible characters');
  return { userId: `name:${clean}`, name: clean };
}

/** For `/sidekick role ic @alice` in the room: the account with that login, if there is one. */
export async function findPersonByLogin(runtime: Runtime, login: string): Promise<Person | undefined> {
  const found = await runtime.store.getUserByLogin(login);
  return found ? { userId: found.id, name: found.displayName } : undefined;
}
