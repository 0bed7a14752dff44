import type { IntakeDeps, WebhookAnswer } from './intake.js';
import { sourceConfigOf } from './alerts-config.js';
import { AlertIntakeError, errorBody } from './errors.js';
import { mapPayload } from './map-payload.js';
import { getAlertSource } from './sources/index.js';

/**
 * Parses a dead letter again with the current configuration (after a mapping was fixed) and,
 * when it maps, stores its alerts and deletes the letter in one transaction. The credential is
 * not checked again: it passed when the letter was kept. A letter that still fails stays.
 */
export async function replayDeadLetter(id: string, deps: IntakeDeps): Promise<WebhookAnswer> {
  try {
    return await replay(id, deps);
  } catch (error) {
    if (error instanceof AlertIntakeError) return { status: error.status, body: errorBody(error.code, error.message) };
    deps.log.error({ deadLetter: id.slice(0, 64), error: (error as Error)?.message }, 'replaying a dead letter failed');
    return { status: 500, body: errorBody('ALERT_INTERNAL', 'the dead letter could not be replayed; it was kept') };
  }
}

async function replay(id: string, deps: IntakeDeps): Promise<WebhookAnswer> {
  const letter = await deps.store.getDeadLetter(id);
  if (!letter) throw new AlertIntakeError('ALERT_DEAD_LETTER_UNKNOWN', `no dead letter "${id.slice(0, 64)}"`);
  const source = getAlertSource(letter.source);
  if (!source) throw new AlertIntakeError('ALERT_SOURCE_UNKNOWN', `the dead letter's source "${letter.source}" is not known`);
  const sourceConfig = sourceConfigOf(deps.config, source.name);
  if (!sourceConfig.enabled) throw new AlertIntakeError('ALERT_SOURCE_DISABLED', `the ${source.name} source is disabled`);
  const alerts = mapPayload({ source, sourceConfig, rawBody: Buffer.from(letter.body, 'utf8'), headers: letter.headers, receivedAt: new Date(letter.receivedAt) }, deps.config, deps.newId);
  const now = deps.now().toISOString();
  const stored = await deps.store.transaction(async (tx) => {
    const result = alerts.length > 0 ? await tx.insertAlerts(alerts, { now, dedupWindowMs: deps.config.dedupWindow }) : { inserted: [], duplicates: 0 };
    await tx.deleteDeadLetter(letter.id);
    return result;
  });
  deps.log.info({ deadLetter: letter.id, source: source.name, accepted: stored.inserted.length }, 'dead letter replayed');
  return {
    status: 200,
    body: { replayed: letter.id, accepted: stored.inserted.length, duplicates: stored.duplicates, alerts: stored.inserted.map((alert) => alert.id) },
  };
}
