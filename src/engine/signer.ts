import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signs button values so a click names exactly one task and choice and cannot be forged into
 * another incident's run. The secret lives in the store, shared by every instance.
 */
export function createSigner(secret: string) {
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 32);
  return {
    sign(payload: string): string {
      return `${payload}.${mac(payload)}`;
    },
    /** The payload if the signature is right, else undefined. */
    verify(value: string): string | undefined {
      const dot = value.lastIndexOf('.');
      if (dot <= 0 || value.length > 2000) return undefined;
      const payload = value.slice(0, dot);
      const given = Buffer.from(value.slice(dot + 1));
      const expected = Buffer.from(mac(payload));
      return given.length === expected.length && timingSafeEqual(given, expected) ? payload : undefined;
    },
  };
}
