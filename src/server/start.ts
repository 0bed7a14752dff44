import type { SidekickConfig } from '../config/config-sections.js';
import { createRuntime, type RuntimeOverrides, type Runtime } from '../runtime/create-runtime.js';
import { createServer } from './create-server.js';
import { decideAccess, type Access } from './auth.js';
import { unauthenticatedSources } from '../alerts/alerts-config.js';
import type { LiveRelayHandle } from '../store/postgres/pg-live-relay.js';

export interface StartedSidekick {
  url: string;
  runtime: Runtime;
  close(): Promise<void>;
}

/**
 * Starts Sidekick: refuses a bind or public URL beyond loopback without a web password, then serves
 * HTTP and only then runs the worker, so /healthz and /readyz answer at once whatever the backlog (a
 * worker draining a big queue before the server listened used to trip Fastify's plugin timeout).
 * `port: 0` picks a free port (tests).
 */
export async function startSidekick(options: { config: SidekickConfig; port?: number; host?: string; overrides?: RuntimeOverrides }): Promise<StartedSidekick> {
  const config = options.config;
  if (options.port !== undefined) config.server.port = options.port;
  if (options.host !== undefined) config.server.host = options.host;
  // Refuses (with the fix) a bind or public URL beyond loopback that has no web login; local
  // accounts count, and they live in the store.
  const runtime = await createRuntime(config, { ...options.overrides, startWorker: false });
  let access: Access;
  try {
    access = decideAccess(config, (await runtime.store.countUsers()) > 0);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  // Several instances share PostgreSQL: each one's live events reach every instance's /api/events.
  let relay: LiveRelayHandle | undefined;
  if (runtime.store.dialect === 'postgres' && config.databaseUrl) {
    const { relayLiveEvents } = await import('../store/postgres/pg-live-relay.js');
    relay = await relayLiveEvents(runtime.live, { connectionString: config.databaseUrl, schema: config.databaseSchema, store: runtime.store, log: runtime.services.log });
  }
  const app = await createServer(runtime);
  let address: string;
  try {
    address = await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    await relay?.close();
    await runtime.close();
    throw error;
  }
  const port = Number(new URL(address).port);
  const url = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;
  if (!config.server.publicUrl) {
    // Links must work for people: with no public URL configured, the address we listen on is the best guess.
    runtime.services.publicUrl = url;
  }
  runtime.services.log.info({ loginRequired: access.loginRequired }, access.summary);
  // Links in the first posts use the address just bound; the server already answers health checks.
  if (options.overrides?.startWorker !== false) runtime.worker.start();
  for (const problem of runtime.flows.problems) runtime.services.log.warn({ problem }, 'flow problem');
  const open = unauthenticatedSources(config.alerts);
  if (open.length > 0) {
    runtime.services.log.warn(
      { sources: open },
      !access.loginRequired
        ? 'these webhook sources accept any caller (allowed only while Sidekick is open on loopback); set alerts.sources.<name>.auth before exposing Sidekick'
        : 'these webhook sources have no credential and will refuse every delivery; set alerts.sources.<name>.auth',
    );
  }
  return {
    url,
    runtime,
    async close() {
      await app.close();
      await relay?.close();
      await runtime.close();
    },
  };
}
