import type { NewAlert } from '../store/store.js';
import type { AlertSource } from './alert-source.js';
import type { AlertsConfig, SourceConfig } from './alerts-config.js';
import { AlertIntakeError, AlertPayloadError } from './errors.js';
import { groupKeyOf } from './group-key.js';
import { boundKey } from './mapping/bound-key.js';
import { headerValue } from './mapping/json-value.js';
import { parseBody } from './parse-body.js';

/** One webhook body on its way to the store. */
export interface PayloadToMap {
  source: AlertSource;
  sourceConfig: SourceConfig;
  rawBody: Buffer;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  receivedAt: Date;
}

/**
 * Parses a body and maps it to alerts ready to store, with ids and group keys. Throws
 * `AlertIntakeError` (`ALERT_BAD_JSON`, `ALERT_UNMAPPABLE`) when it cannot.
 */
export function mapPayload(input: PayloadToMap, config: AlertsConfig, newId: () => string): NewAlert[] {
  const payload = parseBody(input.rawBody, headerValue(input.headers, 'content-type'));
  let alerts;
  try {
    alerts = input.source.parse(payload, { headers: input.headers, receivedAt: input.receivedAt }, { mapping: input.sourceConfig.mapping });
  } catch (error) {
    if (error instanceof AlertIntakeError) throw error;
    // A mapping bug must not lose the payload: it becomes a dead letter to replay once fixed.
    throw new AlertPayloadError(`the ${input.source.name} source failed on this payload: ${(error as Error).message}`);
  }
  const receivedAt = input.receivedAt.toISOString();
  return alerts.map((alert) => {
    const dedupKey = boundKey(alert.dedupKey);
    return { ...alert, dedupKey, id: newId(), receivedAt, groupKey: groupKeyOf({ ...alert, dedupKey }, config.grouping) };
  });
}
