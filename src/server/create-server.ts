import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger, type FastifyReply, type FastifyServerOptions } from 'fastify';
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

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * Fastify's default schema compilers (Ajv, fast-json-stringify: a hundred files), required only
 * when a route declares a JSON schema. Sidekick's routes check bodies with zod, so a start never
 * needs them; Fastify would otherwise load them when the server is made.
 */
function lazySchemaCompilers(): CompilersFactory {
  // Resolved from Fastify's own folder: they are its dependencies, not Sidekick's.
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
  type Factory = (externalSchemas?: unknown, options?: unknown) => unknown;
  let validator: Factory | undefined;
  let serializer: Factory | undefined;
  return {
    buildValidator: (externalSchemas?: unknown, options?: unknown) => (validator ??= (fromFastify('@fastify/ajv-compiler') as () => Factory)())(externalSchemas, options),
    buildSerializer: (externalSchemas?: unknown, options?: unknown) => (serializer ??= (fromFastify('@fastify/fast-json-stringify-compiler') as () => Factory)())(externalSchemas, options),
  } as CompilersFactory;
}

/** The HTTP face of Sidekick: webhooks, Slack, the JSON API, metrics and the web UI. */
export async function createServer(runtime: Runtime): Promise<FastifyInstance> {
  const { config } = runtime;
  const access = decideAccess(config, (await runtime.store.countUsers()) > 0);
  const app: FastifyInstance = Fastify({
    loggerInstance: runtime.services.log.child({ component: 'http' }) as FastifyBaseLogger,
    // One line per webhook at 5,000 alerts/s is noise; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimit,
    schemaController: { compilersFactory: lazySchemaCompilers() },
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
