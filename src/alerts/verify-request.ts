import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SourceAuth } from './alerts-config.js';
import { headerValue } from './mapping/json-value.js';
import { formatDuration } from '../util/duration.js';

/** What a credential check looks at. */
export interface VerifiableRequest {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  rawBody: Buffer;
  now: Date;
}

type Auth<T extends SourceAuth['type']> = Extract<SourceAuth, { type: T }>;

// Sender-controlled header values are bounded by Node's 16 KiB header limit; PagerDuty sends at
// most a few signatures during a rotation.
const MAX_SIGNATURES = 8;

/**
 * Checks a webhook request against a source's credentials in constant time. Returns undefined
 * when one credential matches, else why not (never echoing a secret). With no credential
 * configured the request passes only when `allowUnauthenticated` (a loopback bind).
 */
export function verifyRequest(credentials: readonly SourceAuth[], request: VerifiableRequest, options: { allowUnauthenticated: boolean }): string | undefined {
  if (credentials.length === 0) {
    return options.allowUnauthenticated ? undefined : 'no credential is configured for this source and the server is not bound to loopback; configure its auth';
  }
  const reasons = new Set<string>();
  for (const credential of credentials) {
    const reason = checkCredential(credential, request);
    if (reason === undefined) return undefined;
    reasons.add(reason);
  }
  return [...reasons].join('; ');
}

function checkCredential(credential: SourceAuth, request: VerifiableRequest): string | undefined {
  switch (credential.type) {
    case 'bearer':
      return checkBearer(credential, request);
    case 'basic':
      return checkBasic(credential, request);
    case 'header':
      return checkHeader(credential, request);
    case 'hmac':
      return checkHmac(credential, request);
  }
}

function checkBearer(credential: Auth<'bearer'>, request: VerifiableRequest): string | undefined {
  const header = headerValue(request.headers, 'authorization');
  if (!header) return 'missing Authorization header (expected "Bearer <token>")';
  const match = /^bearer +(.+)$/i.exec(header.trim());
  if (!match) return 'the Authorization header is not a Bearer token';
  return equalSecrets(match[1], credential.token) ? undefined : 'the bearer token does not match';
}

function checkBasic(credential: Auth<'basic'>, request: VerifiableRequest): string | undefined {
  const header = headerValue(request.headers, 'authorization');
  if (!header) return 'missing Authorization header (expected HTTP Basic credentials)';
  const match = /^basic +([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return 'the Authorization header is not HTTP Basic credentials';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return 'the Basic credentials have no "user:password" form';
  // Both halves are always compared, so timing does not tell which one was wrong.
  const userOk = equalSecrets(decoded.slice(0, colon), credential.username);
  const passwordOk = equalSecrets(decoded.slice(colon + 1), credential.password);
  return userOk && passwordOk ? undefined : 'the Basic credentials do not match';
}

function checkHeader(credential: Auth<'header'>, request: VerifiableRequest): string | undefined {
  const value = headerValue(request.headers, credential.name);
  if (value === undefined) return `missing ${credential.name} header`;
  return equalSecrets(value, credential.value) ? undefined : `the ${credential.name} header does not match`;
}

function checkHmac(credential: Auth<'hmac'>, request: VerifiableRequest): string | undefined {
  const header = headerValue(request.headers, credential.header);
  if (!header) return `missing ${credential.header} header (the signature)`;
  let signed: Buffer = request.rawBody;
  if (credential.timestampHeader) {
    const stamp = headerValue(request.headers, credential.timestampHeader)?.trim();
    if (!stamp) return `missing ${credential.timestampHeader} header (the signature's timestamp)`;
    if (!/^\d{1,12}$/.test(stamp)) return `the ${credential.timestampHeader} header is not a unix time in seconds`;
    // A signed request captured once must not be accepted again later: bound its age both ways.
    if (Math.abs(request.now.getTime() - Number(stamp) * 1000) > credential.replayWindowMs) {
      return `the signature's timestamp is outside the replay window of ${formatDuration(credential.replayWindowMs)}`;
    }
    signed = Buffer.concat([Buffer.from(`${stamp}:`), request.rawBody]);
  }
  const expected = createHmac(credential.algorithm, credential.secret).update(signed).digest();
  const candidates = header.split(',').slice(0, MAX_SIGNATURES);
  for (const candidate of candidates) {
    const signature = decodeSignature(candidate.trim(), credential);
    if (signature && signature.length === expected.length && timingSafeEqual(signature, expected)) return undefined;
  }
  return 'the signature does not match the body';
}

function decodeSignature(value: string, credential: Auth<'hmac'>): Buffer | undefined {
  let text = value;
  if (credential.prefix) {
    if (!text.startsWith(credential.prefix)) return undefined;
    text = text.slice(credential.prefix.length);
  }
  if (credential.encoding === 'hex') return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined;
}

// Hashing both sides first gives equal-length buffers, so timingSafeEqual neither throws nor
// reveals the secret's length.
function equalSecrets(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
