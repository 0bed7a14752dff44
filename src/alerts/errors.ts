/**
 * Every way alert intake can refuse a request, with the HTTP status it answers. The codes are
 * stable: monitors' retry logic, the API and the docs rely on them.
 */
export const ALERT_ERRORS = {
  /** No source with that name is registered. */
  ALERT_SOURCE_UNKNOWN: 404,
  /** The source exists but `alerts.sources.<name>.enabled` is false. */
  ALERT_SOURCE_DISABLED: 404,
  /** The credential is missing or wrong, or none is configured on a non-loopback bind. */
  ALERT_AUTH_FAILED: 401,
  /** The body is larger than `alerts.maxBodyBytes`. */
  ALERT_BODY_TOO_LARGE: 413,
  /** The body is not JSON (or is truncated); it is kept as a dead letter. */
  ALERT_BAD_JSON: 400,
  /** The JSON does not look like this source's payload; it is kept as a dead letter. */
  ALERT_UNMAPPABLE: 422,
  /** A dead letter id that does not exist (replay). */
  ALERT_DEAD_LETTER_UNKNOWN: 404,
  /** Storing failed; the sender should retry (monitors retry 5xx, never 4xx). */
  ALERT_STORE_FAILED: 503,
  /** A bug; logged without the payload or credentials. */
  ALERT_INTERNAL: 500,
} as const;

export type AlertErrorCode = keyof typeof ALERT_ERRORS;

/** A refusal with a stable code, its HTTP status and a message safe to show the sender. */
export class AlertIntakeError extends Error {
  readonly status: number;
  constructor(
    readonly code: AlertErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AlertIntakeError';
    this.status = ALERT_ERRORS[code];
  }
}

/** Thrown by a source when a payload is valid JSON but cannot be mapped to alerts. */
export class AlertPayloadError extends AlertIntakeError {
  constructor(message: string) {
    super('ALERT_UNMAPPABLE', message);
    this.name = 'AlertPayloadError';
  }
}

/** The JSON body every refusal answers with. */
export function errorBody(code: AlertErrorCode, message: string): { error: { code: AlertErrorCode; message: string } } {
  return { error: { code, message } };
}
