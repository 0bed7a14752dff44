import { specOf } from './error-catalogue.js';

/** How a retryable failure asks to be tried again (read by the engine's retry policy). */
export interface RetryHint {
  /** The service said when to come back (Retry-After); the retry waits at least this long. */
  retryAfterMs?: number;
  /** "Not yet" rather than a failure (chat pacing): run again later without using an attempt. */
  deferral?: boolean;
  /** A time budget instead of the attempt count: keep retrying while failures last less than this. */
  retryForMs?: number;
}

/** What a throw site may say beyond the catalogue's defaults for its code. */
export interface SidekickErrorOptions {
  /** The HTTP status an API answer uses; defaults to the catalogue's. */
  status?: number;
  /** Whether running the work again can help; defaults to the catalogue's. */
  retryable?: boolean;
  /** How to fix it, when the message does not already say; defaults to the catalogue's. */
  hint?: string;
  retry?: RetryHint;
  cause?: unknown;
}

/**
 * The one base of Sidekick's errors: a stable `code` (listed in error-catalogue.ts), the HTTP
 * `status` an API answer uses, whether a retry can help, and a `hint` that says how to fix it.
 * The engine's retry policy and the HTTP error handler read these fields and nothing else, so a
 * subclass only chooses its code and message (`errorKind` below declares one).
 */
export class SidekickError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly hint?: string;
  readonly retry: RetryHint;

  constructor(code: string, message: string, options: SidekickErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const spec = specOf(code);
    this.name = 'SidekickError';
    this.code = code;
    this.status = options.status ?? spec.status;
    this.retryable = options.retryable ?? spec.retryable;
    const hint = options.hint ?? spec.hint;
    if (hint !== undefined) this.hint = hint;
    this.retry = options.retry ?? {};
  }

  /** Fastify's and Node's name for `status`, so a framework reading it answers the same. */
  get statusCode(): number {
    return this.status;
  }
}

/** How a kind's messages read. */
export interface ErrorKindOptions {
  /** Start every message with its code (`STORE_CONFLICT: …`), for logs and answers that show only the message. */
  codeInMessage?: boolean;
}

/**
 * The base of one kind of SidekickError: its `name` and its own codes, thrown as
 * `new Kind(code, message)`. Declared as `class UserError extends errorKind<UserErrorCode>('UserError') {}`,
 * so `instanceof` works for the kind and for SidekickError, and `code` is typed to the kind's codes;
 * status, retryability and hint come from the catalogue as for every SidekickError.
 */
export function errorKind<Code extends string>(name: string, options: ErrorKindOptions = {}) {
  return class extends SidekickError {
    declare readonly code: Code;
    constructor(code: Code, message: string) {
      super(code, options.codeInMessage ? `${code}: ${message}` : message);
      this.name = name;
    }
  };
}
