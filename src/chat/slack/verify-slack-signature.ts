import { errorKind } from '../../errors/sidekick-error.js';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What Slack sends with every HTTP-mode request, and what we need to check it. */
export interface SlackSignatureInput {
  signingSecret: string;
  /** `X-Slack-Request-Timestamp`: unix seconds, as sent. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`: `v0=<hex>`. */
  signature: string | undefined;
  /** The exact body bytes as received (the raw form string or raw JSON), never a re-serialisation. */
  rawBody: string;
  /** Milliseconds since the epoch; injected so the replay window is testable. */
  now?: number;
}

/** Why a request was refused; stable codes for logs and tests. */
export type SlackSignatureProblem = 'SLACK_SIGNATURE_MISSING' | 'SLACK_SIGNATURE_STALE' | 'SLACK_SIGNATURE_VERSION' | 'SLACK_SIGNATURE_MISMATCH' | 'SLACK_SIGNING_SECRET_MISSING';

/** Thrown by `verifySlackSignature`; the message never contains the secret or the signature. */
export class SlackSignatureError extends errorKind<SlackSignatureProblem>('SlackSignatureError', { codeInMessage: true }) {}

/** Five minutes each way, as Slack recommends; Bolt only checks the past, we also refuse the future. */
export const SLACK_REPLAY_WINDOW_SECONDS = 5 * 60;

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^v0=([0-9a-f]{64})$/;

/** Computes Slack's `v0=` signature of a body (used by fakes and tests to sign like Slack does). */
export function signSlackRequest(signingSecret: string, timestamp: string | number, rawBody: string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:${rawBody}`);
  return `v0=${hmac.digest('hex')}`;
}

/** Throws a `SlackSignatureError` unless the request was signed by Slack with our secret within the window. */
export function verifySlackSignature(input: SlackSignatureInput): void {
  if (!input.signingSecret) {
    throw new SlackSignatureError('SLACK_SIGNING_SECRET_MISSING', 'no signing secret is configured (set SLACK_SIGNING_SECRET)');
  }
  const { timestamp, signature } = input;
  if (!timestamp || !signature) {
    throw new SlackSignatureError('SLACK_SIGNATURE_MISSING', 'X-Slack-Request-Timestamp and X-Slack-Signature are required');
  }
  if (!TIMESTAMP.test(timestamp)) {
    throw new SlackSignatureError('SLACK_SIGNATURE_STALE', 'X-Slack-Request-Timestamp is not a unix time in seconds');
  }
  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_REPLAY_WINDOW_SECONDS) {
    throw new SlackSignatureError('SLACK_SIGNATURE_STALE', 'the request timestamp is more than five minutes away from our clock');
  }
  const match = SIGNATURE.exec(signature);
  if (!match) {
    throw new SlackSignatureError('SLACK_SIGNATURE_VERSION', 'X-Slack-Signature must be "v0=" followed by 64 hex digits');
  }
  const expected = Buffer.from(signSlackRequest(input.signingSecret, timestamp, input.rawBody).slice(3), 'hex');
  const given = Buffer.from(match[1], 'hex');
  // Both are 32 bytes here (the regex fixed the length), so timingSafeEqual cannot throw.
  if (!timingSafeEqual(expected, given)) {
    throw new SlackSignatureError('SLACK_SIGNATURE_MISMATCH', 'the signature does not match the body and our signing secret');
  }
}

/** True when `verifySlackSignature` would accept the request. */
export function isValidSlackSignature(input: SlackSignatureInput): boolean {
  try {
    verifySlackSignature(input);
    return true;
  } catch {
    return false;
  }
}
