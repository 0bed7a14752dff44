import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger, type FastifyReply } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { Runtime } from '../runtime/create-runtime.js';
import { HttpError, errorBody } from './http-error.js';
import { AlertIntakeError } from '../alerts/errors.js';
import { registerAuth, decideAccess, spellsProtectedPath } from './auth.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerRoomRoutes } from './routes/room.js';
import { registerFollowUpRoutes } from './routes/follow-ups.js';
import { registerMomentRoutes } from './routes/moments.js';
import { registerEventRoutes } from './routes/events.js';
import { registerFlowRoutes } from './routes/flows.js';
import { registerPlaybookRoutes } from './routes/playbooks.js';
import { packageRoot } from '../util/package-root.js';

/** The HTTP face of Sidekick: webhooks, Slack, the JSON API, metrics and the web UI. */
export async function createServer(runtime: Runtime): Promise<FastifyInstance> {
  const { config } = runtime;
  const access = decideAccess(config);
  const app: FastifyInstance = Fastify({
    loggerInstance: runtime.services.log.child({ component: 'http' }) as FastifyBaseLogger,
    // One line per webhook at 5,000 alerts/s is noise; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimit,
    // Client errors must never take the process down, nor leak stack traces.
    return503OnClosing: true,
    // Router refusals (a parameter too long, a malformed URL) answer in the API's error shape too.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      void reply.code(error.statusCode && error.statusCode < 500 ? error.statusCode : 400).send(errorBody(error.code ?? 'BAD_REQUEST', error.message.slice(0, 200)));
    },
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
    if (error instanceof HttpError) return reply.code(error.statusCode).send(errorBody(error.code, error.message));
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const webhook = request.url.startsWith('/webhooks/');
      return reply
        .code(413)
        .send(errorBody(webhook ? 'ALERT_BODY_TOO_LARGE' : 'BODY_TOO_LARGE', webhook ? `the payload is larger than alerts.maxBodyBytes (${config.alerts.maxBodyBytes} bytes)` : 'the request body is larger than this server accepts'));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return reply.code(400).send(errorBody('BAD_JSON', `the body is not valid JSON: ${error.message}`));
    }
    if (error.code === 'INCIDENT_NOT_FOUND') return reply.code(404).send(errorBody(error.code, error.message));
    // An alert payload that cannot be mapped (preview, simulate) is the caller's mistake.
    if (error instanceof AlertIntakeError && error.status < 500) return reply.code(error.status).send(errorBody(error.code, error.message));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody(error.code ?? 'BAD_REQUEST', error.message));
    }
    request.log.error({ err: error, url: request.url.split('?')[0] }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL', 'something went wrong inside Sidekick; the log says what'));
  });

  await app.register(fastifyCookie);
  const auth = registerAuth(app, {
    required: access.loginRequired,
    password: config.web.password,
    secret: await runtime.store.initSetting('session-secret', runtime.services.newId() + runtime.services.newId()),
    secure: runtime.publicUrl.startsWith('https://'),
    now: () => runtime.services.clock.now(),
    log: app.log,
  });
  registerHealthRoutes(app, runtime);
  await registerWebhookRoutes(app, runtime, { allowUnauthenticated: !access.loginRequired });
  // The protected scope: every route registered in here (now or later: /api/…, /mcp) needs a
  // session when the login is required. A route under /api/ or /mcp outside it fails the start.
  await app.register(async (api) => {
    auth.guard(api);
    registerIncidentRoutes(api, runtime);
    registerRoomRoutes(api, runtime);
    registerFollowUpRoutes(api, runtime);
    registerMomentRoutes(api, runtime);
    registerEventRoutes(api, runtime);
    registerFlowRoutes(api, runtime);
    registerPlaybookRoutes(api, runtime);
  });
  await runtime.providers.registerRoutes?.(app);

  const webDist = join(packageRoot(), 'web/dist');
  if (existsSync(join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
    // The web UI routes in the browser: any other GET that is not the API serves the app.
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]!;
      if (request.method === 'GET' && !spellsProtectedPath(request.url) && !path.startsWith('/webhooks/')) return reply.sendFile('index.html');
      return reply.code(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${path}`));
    });
  } else {
    app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)));
    app.get('/', async (_request, reply) => reply.type('text/plain').send('Sidekick is running. The web UI is not built: run `npm run build`.\n'));
  }
  return app;
}
