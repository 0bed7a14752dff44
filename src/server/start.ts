import type { SidekickConfig } from '../config/config-sections.js';
import { createRuntime, type RuntimeOverrides, type Runtime } from '../runtime/create-runtime.js';
import { createServer } from './create-server.js';
import { isLoopback } from './auth.js';
import { unauthenticatedSources } from '../alerts/alerts-config.js';
import type { LiveRelayHandle } from '../store/postgres/pg-live-relay.js';

export interface StartedSidekick {
  url: string;
  runtime: Runtime;
  close(): Promise<void>;
}

/**
 * Starts Sidekick: refuses a non-loopback bind without a web password, then serves HTTP and only
 * then runs the worker, so /healthz and /readyz answer at once whatever the backlog (a worker
 * draining a big queue before the server listened used to trip Fastify's plugin timeout).
 * `port: 0` picks a free port (tests).
 */
export async function startSidekick(options: { config: SidekickConfig; port?: number; host?: string; overrides?: RuntimeOverrides }): Promise<StartedSidekick> {
  const config = options.config;
  if (options.port !== undefined) config.server.port = options.port;
  if (options.host !== undefined) config.server.host = options.host;
  if (!isLoopback(config.server.host) && !config.web.password) {
    throw new Error(
      `refusing to listen on ${config.server.host} without a web login: set SIDEKICK_WEB_PASSWORD (or web.password in sidekick.yaml), or bind to 127.0.0.1`,
    );
  }
  const runtime = await createRuntime(config, { ...options.overrides, startWorker: false });
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
  // Links in the first posts use the address just bound; the server already answers health checks.
  if (options.overrides?.startWorker !== false) runtime.worker.start();
  for (const problem of runtime.flows.problems) runtime.services.log.warn({ problem }, 'flow problem');
  const open = unauthenticatedSources(config.alerts);
  if (open.length > 0) {
    runtime.services.log.warn(
      { sources: open },
      isLoopback(config.server.host)
        ? 'these webhook sources accept any caller (allowed on a loopback bind only); set alerts.sources.<name>.auth before exposing Sidekick'
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
