import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../runtime/create-runtime.js';
import { acceptWebhook } from '../../alerts/intake.js';
import { alertSourceNames } from '../../alerts/sources/index.js';
import { AlertIntakeError } from '../../alerts/errors.js';
import { toSidekickError } from '../../errors/to-sidekick-error.js';

/**
 * `POST /webhooks/<source>`: the body is read raw (signatures are over exact bytes) and answered
 * 2xx only once the alerts are committed; grouping and flows happen after, from the job queue.
 */
export async function registerWebhookRoutes(app: FastifyInstance, runtime: Runtime, options: { allowUnauthenticated: boolean }) {
  const alerts = runtime.config.alerts;
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: alerts.maxBodyBytes }, (_request, body, done) => done(null, body));
    // A webhook's limit is alerts.maxBodyBytes: a body over it (the parser's 413) is refused in
    // intake's words; anything else goes on to the server's handler.
    scope.setErrorHandler((error) => {
      if (toSidekickError(error).status === 413) throw new AlertIntakeError('ALERT_BODY_TOO_LARGE', `the payload is larger than alerts.maxBodyBytes (${alerts.maxBodyBytes} bytes)`);
      throw error;
    });
    scope.post<{ Params: { source: string } }>('/webhooks/:source', async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const result = await acceptWebhook(
        { source: request.params.source, rawBody, headers: request.headers, allowUnauthenticated: options.allowUnauthenticated },
        { store: runtime.store, config: alerts, now: () => runtime.services.clock.now(), newId: runtime.services.newId, log: runtime.services.log },
      );
      // Unknown names count under one label: a caller must not be able to mint series at will.
      const source = alertSourceNames().includes(request.params.source) ? request.params.source : 'unknown';
      runtime.metrics.alerts.labels(source, String(result.status)).inc();
      if (result.status < 300) runtime.worker.nudge();
      return reply.code(result.status).send(result.body);
    });
  });
}
