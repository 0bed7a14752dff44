import { createHmac, randomBytes } from 'node:crypto';
import type { Meeting, MeetingProvider } from './meeting-provider.js';
import { MeetingError } from './meeting-error.js';
import { slugify } from '../util/slugify.js';

export interface JitsiOptions {
  /** A host (`meet.jit.si`, `jitsi.example.com:8443`) or a base URL (`https://example.com/jitsi`). */
  domain?: string;
  /**
   * Derives the room from the idempotency key, so a retry, even after a restart, returns the same
   * room. Without one a random secret is used and rooms are stable only within this process.
   */
  secret?: string;
}

/** Random characters in a room name: 26 base32 characters carry 130 bits, beyond guessing. */
const ROOM_TOKEN_LENGTH = 26;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Jitsi Meet needs no account and has no API: a room exists when its first person joins. The
 * room name is the only protection, so it carries 130 unguessable bits after a readable slug.
 * Jitsi lower-cases room names, hence lower-case base32 (no entropy lost to case folding).
 */
export class JitsiMeetings implements MeetingProvider {
  readonly name = 'jitsi';
  private readonly base: string;
  private readonly secret: string;

  constructor(options: JitsiOptions = {}) {
    this.base = parseJitsiBase(options.domain ?? 'meet.jit.si');
    this.secret = options.secret && options.secret.length > 0 ? options.secret : randomBytes(32).toString('hex');
  }

  async create(request: { title: string; incidentId: string }, idempotencyKey: string): Promise<Meeting> {
    const room = `${slugify(request.title, 40)}-${roomToken(this.secret, idempotencyKey)}`;
    return { provider: this.name, id: room, joinUrl: `${this.base}/${room}` };
  }
}

/** The unguessable part of a room name: HMAC-SHA256 of the idempotency key, base32, 130 bits. */
export function roomToken(secret: string, idempotencyKey: string): string {
  const digest = createHmac('sha256', secret).update(`jitsi-room:${idempotencyKey}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < ROOM_TOKEN_LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

function parseJitsiBase(domain: string): string {
  const raw = domain.trim();
  const withScheme = /^https?:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new MeetingError('MEETING_NOT_CONFIGURED', `meetings.jitsi.domain "${domain}" is not a host name or URL; use e.g. "meet.jit.si"`);
  }
  if (!raw || url.username || url.password || url.search || url.hash || !/^[a-z0-9.-]+$/i.test(url.hostname)) {
    throw new MeetingError('MEETING_NOT_CONFIGURED', `meetings.jitsi.domain "${domain}" is not a plain host name or base URL; use e.g. "meet.jit.si"`);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
