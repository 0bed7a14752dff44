/** Shortest password `sidekick users add` accepts. */
export const MIN_PASSWORD_LENGTH = 10;

/** The native hasher loads on the first login or account change, not with the server. */
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

/**
 * An argon2id hash in PHC form (salt and parameters inside). The library's defaults are OWASP's
 * recommendation (19 MiB, 2 passes, 1 lane): about 20 ms here, slow enough to make guessing dear.
 */
export async function hashPassword(password: string): Promise<string> {
  return (await loadArgon2()).hash(password);
}

// Checked against when the login name is unknown, so a wrong name costs as long as a wrong password.
// Made on the first login rather than at start: hashing takes 19 MiB and tens of milliseconds.
let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hashPassword('decoy password that matches nothing'));

/** True when `password` matches `stored`; an unknown user (no hash) still spends the same time. */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  try {
    const { verify } = await loadArgon2();
    // Awaited on every path, so the first login costs the same whether the name is known or not.
    const fake = await decoyHash();
    if (!stored) {
      await verify(fake, password);
      return false;
    }
    return await verify(stored, password);
  } catch {
    return false; // a malformed stored hash matches nothing
  }
}
