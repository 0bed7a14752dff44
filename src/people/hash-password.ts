import { hash, verify } from '@node-rs/argon2';

/** Shortest password `sidekick users add` accepts. */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * An argon2id hash in PHC form (salt and parameters inside). The library's defaults are OWASP's
 * recommendation (19 MiB, 2 passes, 1 lane): about 20 ms here, slow enough to make guessing dear.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Checked against when the login name is unknown, so a wrong name costs as long as a wrong password.
const DECOY = hash('decoy password that matches nothing');

/** True when `password` matches `stored`; an unknown user (no hash) still spends the same time. */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  try {
    if (!stored) {
      await verify(await DECOY, password);
      return false;
    }
    return await verify(stored, password);
  } catch {
    return false; // a malformed stored hash matches nothing
  }
}
