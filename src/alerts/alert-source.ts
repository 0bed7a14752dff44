import type { NormalisedAlert } from './alert.js';
import type { GenericMapping } from './generic-mapping.js';

export { AlertPayloadError } from './errors.js';

/** What a source may look at besides the parsed body. Header names are matched case-insensitively. */
export interface WebhookRequest {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** When Sidekick received the request: the fallback start time for payloads without one. */
  receivedAt: Date;
}

/** Per-source settings from `alerts.sources.<name>`. */
export interface SourceOptions {
  /** Paths for the generic source; other sources ignore it. */
  mapping?: GenericMapping;
}

/** Where a source's signature lives when its auth is `{ type: hmac, secret }` without more detail. */
export interface HmacDefaults {
  header: string;
  prefix?: string;
  encoding?: 'hex' | 'base64';
  timestampHeader?: string;
}

/**
 * One monitor's webhook format. A new monitor is one new file in `sources/` plus one line in
 * `sources/index.ts`.
 */
export interface AlertSource {
  /** The path segment in `POST /webhooks/<name>`. */
  readonly name: string;
  /** Signature header defaults, for vendors that sign their webhooks. */
  readonly hmacDefaults?: HmacDefaults;
  /**
   * Maps a parsed JSON body to alerts. Returns an empty list for deliveries that carry no alert
   * (a test ping, a note); throws `AlertPayloadError` with a reason when the body cannot be mapped.
   */
  parse(payload: unknown, request: WebhookRequest, options: SourceOptions): NormalisedAlert[];
}
