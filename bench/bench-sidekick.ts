import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, destination, type Logger } from 'pino';
import { loadConfig } from '../src/config/load-config.js';
import { createRuntime, type Runtime, type RuntimeOverrides } from '../src/runtime/create-runtime.js';
import { createServer } from '../src/server/create-server.js';
import { createStore } from '../src/store/create-store.js';
import type { Store } from '../src/store/store.js';

/** The repository root (bench/ sits directly under it). */
export const REPO_ROOT = join(import.meta.dirname, '..');

/** What a benchmark asks of its Sidekick. */
export interface BenchSidekickOptions {
  /** Flow files (name → YAML) that replace the bundled example flows; absent keeps the examples. */
  flows?: Record<string, string>;
  /** sidekick.yaml text. */
  yaml?: string;
  /** postgres://… to use PostgreSQL instead of the SQLite file. */
  databaseUrl?: string;
  /** PostgreSQL schema (fresh per benchmark, shared by the instances of one run). */
  schema?: string;
  /** A folder to use instead of a fresh temporary one (several instances of one SQLite file). */
  dir?: string;
  overrides?: RuntimeOverrides;
}

/** A Sidekick started the way `sidekick start` does, with the raw HTTP server exposed for timestamps. */
export interface BenchSidekick {
  url: string;
  dir: string;
  runtime: Runtime;
  store: Store;
  /** The node:http server under Fastify: `prependListener('request')` sees a request first. */
  server: Server;
  close(): Promise<void>;
}

/**
 * Starts Sidekick in this process: the same createRuntime + createServer as `startSidekick`, but
 * with the HTTP server at hand so a benchmark can timestamp requests as they arrive. Logs go to a
 * file at the configured level (the product's default, info), so their cost is counted but the
 * terminal stays readable.
 */
export async function startBenchSidekick(options: BenchSidekickOptions = {}): Promise<BenchSidekick> {
  const ownDir = !options.dir;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sidekick-bench-'));
  let store: Store | undefined;
  let runtime: Runtime | undefined;
  let app: Awaited<ReturnType<typeof createServer>> | undefined;
  let address: string;
  let log: Logger | undefined;
  try {
    prepareFolder(dir, options);
    const config = loadConfig({ cwd: dir, env: { SIDEKICK_DATA_DIR: join(dir, 'data') } });
    if (options.flows) config.flows.examples = false;
    // The throughput bars measure each alert as its own incident: the storm guard would fold them.
    config.alerts.grouping.storm.maxNewIncidents = 0;
    config.server.port = 0;
    config.server.host = '127.0.0.1';
    log = pino({ level: config.log.level }, destination({ dest: join(dir, `sidekick-${process.pid}.log`), sync: false, mkdir: true }));
    store = options.databaseUrl ? await createStore({ databaseUrl: options.databaseUrl, dataDir: join(dir, 'data'), schema: options.schema }) : undefined;
    runtime = await createRuntime(config, { log, ...(store ? { store } : {}), ...options.overrides });
    app = await createServer(runtime);
    address = await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    // A start that fails half-way must not leave a worker running or a folder behind.
    await app?.close().catch(() => undefined);
    await runtime?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `http://127.0.0.1:${new URL(address).port}`;
  runtime.services.publicUrl = url;
  const started = { runtime, app };
  return {
    url,
    dir,
    runtime,
    store: runtime.store,
    server: app.server,
    async close() {
      await started.app.close();
      await started.runtime.close();
      if (store) await store.close();
      log?.flush();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes flows, sidekick.yaml, and the benchmark's stand-in playbooks for any the examples lack. */
function prepareFolder(dir: string, options: BenchSidekickOptions): void {
  if (options.flows && !existsSync(join(dir, 'flows'))) {
    mkdirSync(join(dir, 'flows'));
    for (const [name, text] of Object.entries(options.flows)) writeFileSync(join(dir, 'flows', name), text);
  }
  if (options.yaml !== undefined) writeFileSync(join(dir, 'sidekick.yaml'), options.yaml);
  const fixtures = join(REPO_ROOT, 'bench/fixtures/playbooks');
  for (const name of readdirSync(fixtures)) {
    if (existsSync(join(REPO_ROOT, 'examples/playbooks', name))) continue;
    mkdirSync(join(dir, 'playbooks'), { recursive: true });
    copyFileSync(join(fixtures, name), join(dir, 'playbooks', name));
  }
}

/** The stand-in playbooks used because the bundled ones are missing (said in the report). */
export function missingExamplePlaybooks(): string[] {
  return readdirSync(join(REPO_ROOT, 'bench/fixtures/playbooks')).filter((name) => !existsSync(join(REPO_ROOT, 'examples/playbooks', name)));
}
