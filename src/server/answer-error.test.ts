import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { answerError } from './answer-error.js';
import { HttpError } from './http-error.js';
import { AlertIntakeError } from '../alerts/errors.js';
import { IncidentNotFound } from '../incidents/incident-service.js';
import { SimulationInputError } from '../runtime/simulate.js';
import { TrackerError } from '../trackers/tracker-error.js';
import { SidekickError } from '../errors/sidekick-error.js';

/** A bare server with the real error handler and one route that throws `error`. */
async function answerTo(error: unknown, body?: string) {
  const logged: unknown[] = [];
  const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => logged.push(JSON.parse(line)) } } });
  app.setErrorHandler(answerError);
  app.post('/throw', async () => {
    throw error;
  });
  const response = await app.inject({ method: 'POST', url: '/throw', headers: { 'content-type': 'application/json' }, payload: body ?? '{}' });
  await app.close();
  return { status: response.statusCode, body: response.json() as { error: { code: string; message: string } }, logged };
}

describe('the HTTP answer to an error', () => {
  it('answers each Sidekick error with its catalogued status and code', async () => {
    expect(await answerTo(new HttpError(409, 'CLICK_STALE', 'already answered'))).toMatchObject({ status: 409, body: { error: { code: 'CLICK_STALE', message: 'already answered' } } });
    expect(await answerTo(new IncidentNotFound('inc-1'))).toMatchObject({ status: 404, body: { error: { code: 'INCIDENT_NOT_FOUND' } } });
    expect(await answerTo(new SimulationInputError('SIMULATE_ALERT_INVALID', 'no title'))).toMatchObject({ status: 422, body: { error: { code: 'SIMULATE_ALERT_INVALID' } } });
    expect(await answerTo(new SimulationInputError('SIMULATE_NO_ALERT', 'none'))).toMatchObject({ status: 400 });
    expect(await answerTo(new AlertIntakeError('ALERT_UNMAPPABLE', 'no alerts array'))).toMatchObject({ status: 422, body: { error: { code: 'ALERT_UNMAPPABLE' } } });
  });

  it('answers a server-side failure as a logged 500 that names no internals', async () => {
    for (const error of [new Error('connect ECONNREFUSED 10.0.0.5:5432'), new TrackerError('TRACKER_UNAVAILABLE', 'GitHub answered 502'), new AlertIntakeError('ALERT_STORE_FAILED', 'db down')]) {
      const answer = await answerTo(error);
      expect(answer).toMatchObject({ status: 500, body: { error: { code: 'INTERNAL' } } });
      expect(answer.body.error.message).not.toMatch(/ECONNREFUSED|GitHub|db down/);
      expect(answer.logged).toHaveLength(1);
    }
  });

  it('answers the framework’s refusals in the API’s shape', async () => {
    expect(await answerTo(new SidekickError('X', 'never reached'), '{"broken":')).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_JSON', message: expect.stringMatching(/not valid JSON/) } },
    });
    expect(await answerTo(Object.assign(new Error('querystring/x must be string'), { statusCode: 400, code: 'FST_ERR_VALIDATION' }))).toMatchObject({
      status: 400,
      body: { error: { code: 'FST_ERR_VALIDATION' } },
    });
  });
});
