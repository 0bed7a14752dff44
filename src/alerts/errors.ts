import { errorKind } from '../errors/sidekick-error.js';
import type { CataloguedCode } from '../errors/error-catalogue.js';

/**
 * Every way alert intake can refuse a request. The codes, their HTTP statuses and hints live in
 * the error catalogue (src/errors/error-catalogue.ts, `ALERT_*`); they are stable: monitors'
 * retry logic, the API and the docs rely on them.
 */
export type AlertErrorCode = Extract<CataloguedCode, `ALERT_${string}`>;

/** A refusal with a stable code, its HTTP status and a message safe to show the sender. */
export class AlertIntakeError extends errorKind<AlertErrorCode>('AlertIntakeError') {}

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
