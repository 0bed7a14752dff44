import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { AlertsConfig } from './alerts-config.js';
import { sourceConfigOf } from './alerts-config.js';
import { AlertIntakeError, errorBody } from './errors.js';
import { mapPayload } from './map-payload.js';
import { redactHeaders } from './redact-headers.js';
import { getAlertSource, alertSourceNames } from './sources/index.js';
import { verifyRequest } from './verify-request.js';

/** One `POST /webhooks/<source>` as the HTTP layer hands it over. */
export interface WebhookInput {
  source: string;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** True only when the server is bound to loopback: then sources without credentials are accepted. */
  allowUnauthenticated: boolean;
}

/** What intake needs from the rest of Sidekick. */
export interface IntakeDeps {
  store: Store;
  config: AlertsConfig;
  now: () => Date;
  newId: () => string;
  log: Logger;
}

/** The HTTP answer: a status and a JSON body. */
export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Takes one webhook delivery: checks the source and its credential, parses and maps the body,
 * and answers 202 only once the alerts are committed (which also queues their processing).
 * Bodies that cannot be read or mapped are kept as dead letters. Never throws.
 */
export async function acceptWebhook(input: WebhookInput, deps: IntakeDeps): Promise<WebhookAnswer> {
  try {
    return await accept(input, deps);
  } catch (error) {
    if (error instanceof AlertIntakeError) return { status: error.status, body: errorBody(error.code, error.message) };
    // Only the error's own text: the body and headers may hold secrets or personal data.
    deps.log.error({ source: input.source.slice(0, 64), error: (error as Error)?.message }, 'alert intake failed unexpectedly');
    return { status: 500, body: errorBody('ALERT_INTERNAL', 'the delivery could not be processed and was not stored; it is safe to retry') };
  }
}

async function accept(input: WebhookInput, deps: IntakeDeps): Promise<WebhookAnswer> {
  const source = getAlertSource(input.source);
  if (!source) {
    throw new AlertIntakeError('ALERT_SOURCE_UNKNOWN', `no alert source "${input.source.slice(0, 64)}"; expected one of ${alertSourceNames().join(', ')}`);
  }
  const sourceConfig = sourceConfigOf(deps.config, source.name);
  if (!sourceConfig.enabled) {
    throw new AlertIntakeError('ALERT_SOURCE_DISABLED', `the ${source.name} source is disabled (alerts.sources.${source.name}.enabled)`);
  }
  if (input.rawBody.length > deps.config.maxBodyBytes) {
    throw new AlertIntakeError('ALERT_BODY_TOO_LARGE', `the body has ${input.rawBody.length} bytes; at most ${deps.config.maxBodyBytes} are accepted (alerts.maxBodyBytes)`);
  }
  const receivedAt = deps.now();
  const refusal = verifyRequest(sourceConfig.auth, { headers: input.headers, rawBody: input.rawBody, now: receivedAt }, { allowUnauthenticated: input.allowUnauthenticated });
  if (refusal !== undefined) {
    deps.log.warn({ source: source.name, reason: refusal }, 'webhook refused: credential check failed');
    throw new AlertIntakeError('ALERT_AUTH_FAILED', `${source.name}: ${refusal}`);
  }

  let alerts;
  try {
    alerts = mapPayload({ source, sourceConfig, rawBody: input.rawBody, headers: input.headers, receivedAt }, deps.config, deps.newId);
  } catch (error) {
    if (!(error instanceof AlertIntakeError)) throw error;
    await keepDeadLetter(error, input, sourceConfig.auth, receivedAt, deps);
    throw error;
  }
  if (alerts.length === 0) return { status: 202, body: { accepted: 0, duplicates: 0, alerts: [] } };

  let stored;
  try {
    stored = await deps.store.insertAlerts(alerts, { now: receivedAt.toISOString(), dedupWindowMs: deps.config.dedupWindow });
  } catch (error) {
    deps.log.error({ source: source.name, error: (error as Error)?.message }, 'storing alerts failed');
    // 5xx: every monitor retries it, so the alerts arrive again once the store is back.
    throw new AlertIntakeError('ALERT_STORE_FAILED', 'the alerts could not be stored; retry later');
  }
  return { status: 202, body: { accepted: stored.inserted.length, duplicates: stored.duplicates, alerts: stored.inserted.map((alert) => alert.id) } };
}

async function keepDeadLetter(refusal: AlertIntakeError, input: WebhookInput, credentials: Parameters<typeof redactHeaders>[1], receivedAt: Date, deps: IntakeDeps): Promise<void> {
  try {
    const letter = await deps.store.addDeadLetter({
      source: input.source,
      receivedAt: receivedAt.toISOString(),
      reason: `${refusal.code}: ${refusal.message}`,
      body: input.rawBody.toString('utf8'),
      headers: redactHeaders(input.headers, credentials),
    });
    deps.log.warn({ source: input.source, deadLetter: letter.id, code: refusal.code }, 'webhook kept as a dead letter');
  } catch (error) {
    deps.log.error({ source: input.source, error: (error as Error)?.message }, 'keeping a dead letter failed');
    throw new AlertIntakeError('ALERT_STORE_FAILED', `${refusal.message}; and the payload could not be kept for replay, retry later`);
  }
}
