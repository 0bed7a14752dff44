import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger, type FastifyReply } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { Runtime } from '../runtime/create-runtime.js';
import { errorBody } from './http-error.js';
import { answerError } from './answer-error.js';
import { decideAccess, spellsProtectedPath } from './auth.js';
import { registerAuth } from './register-auth.js';
import { registerOidcRoutes } from './oidc-routes.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerIncidentGroupRoutes } from './routes/incident-groups.js';
import { registerRoomRoutes } from './routes/room.js';
import { registerFollowUpRoutes } from './routes/follow-ups.js';
import { registerMomentRoutes } from './routes/moments.js';
import { registerEventRoutes } from './routes/events.js';
import { registerFlowRoutes } from './routes/flows.js';
import { registerPlaybookRoutes } from './routes/playbooks.js';
import { packageRoot } from '../util/package-root.js';
import { registerMcpRoute } from '../mcp/register-mcp-route.js';
import { registerReportDraftRoutes } from './routes/report-draft.js';

/** The HTTP face of Sidekick: webhooks, Slack, the JSON API, metrics and the web UI. */
export async function createServer(runtime: Runtime): Promise<FastifyInstance> {
  const { config } = runtime;
  const access = decideAccess(config, (await runtime.store.countUsers()) > 0);
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

  app.setErrorHandler(answerError);

  await app.register(fastifyCookie);
  const auth = registerAuth(app, {
    required: access.loginRequired,
    password: config.web.password,
    store: runtime.store,
    sso: Boolean(config.web.oidc),
    secret: await runtime.store.initSetting('session-secret', runtime.services.newId() + runtime.services.newId()),
    secure: runtime.publicUrl.startsWith('https://'),
    now: () => runtime.services.clock.now(),
    log: app.log,
  });
  if (config.web.oidc) registerOidcRoutes(app, auth, { ...config.web.oidc, publicUrl: () => runtime.services.publicUrl, store: runtime.store, now: () => runtime.services.clock.now(), log: app.log });
  registerHealthRoutes(app, runtime);
  await registerWebhookRoutes(app, runtime, { allowUnauthenticated: !access.loginRequired });
  // The protected scope: every route registered in here (now or later: /api/…, /mcp) needs a
  // session when the login is required. A route under /api/ or /mcp outside it fails the start.
  await app.register(async (api) => {
    auth.guard(api);
    registerIncidentRoutes(api, runtime);
    registerIncidentGroupRoutes(api, runtime);
    registerRoomRoutes(api, runtime);
    registerFollowUpRoutes(api, runtime);
    registerMomentRoutes(api, runtime);
    registerEventRoutes(api, runtime);
    registerFlowRoutes(api, runtime);
    registerPlaybookRoutes(api, runtime);
    registerReportDraftRoutes(api, runtime);
    registerMcpRoute(api, runtime, { loginRequired: access.loginRequired });
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
