import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load-config.js';
import { createRuntime, type Runtime, type RuntimeOverrides } from '../../src/runtime/create-runtime.js';
import { createServer } from '../../src/server/create-server.js';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface LockedServer {
  url: string;
  port: number;
  dir: string;
  app: FastifyInstance;
  runtime: Runtime;
  /** Sends `path` byte for byte (no URL normalisation by the client); stops reading after `readMs` for streams. */
  raw(method: string, path: string, options?: { body?: string; headers?: Record<string, string>; readMs?: number }): Promise<RawAnswer>;
  close(): Promise<void>;
}

/**
 * A Sidekick built by `createServer` and listening on 127.0.0.1, with `config` changed by the test
 * first (for instance a bind address beyond loopback, which the test does not really listen on).
 */
export async function startLockedServer(options: {
  env?: Record<string, string>;
  flows?: Record<string, string>;
  configure?: (config: ReturnType<typeof loadConfig>) => void;
  overrides?: RuntimeOverrides;
  /** Runs on the built app before it listens (a test may add routes here). */
  beforeListen?: (app: FastifyInstance) => void;
}): Promise<LockedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-locked-'));
  mkdirSync(join(dir, 'flows'));
  for (const [name, text] of Object.entries(options.flows ?? {})) writeFileSync(join(dir, 'flows', name), text);
  const config = loadConfig({ cwd: dir, env: { SIDEKICK_DATA_DIR: join(dir, 'data'), ...options.env } });
  config.flows.examples = false;
  config.flows.dirs = [join(dir, 'flows')];
  options.configure?.(config);
  const runtime = await createRuntime(config, { log: pino({ level: process.env.SIDEKICK_TEST_LOG ?? 'silent' }), pollMs: 50, ...options.overrides });
  let app: FastifyInstance;
  try {
    app = await createServer(runtime);
    options.beforeListen?.(app);
  } catch (error) {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    app,
    runtime,
    raw: (method, path, rawOptions = {}) => rawRequest(port, method, path, rawOptions),
    async close() {
      await app.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function rawRequest(port: number, method: string, path: string, options: { body?: string; headers?: Record<string, string>; readMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      const done = () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text });
      response.on('end', done);
      // A stream (server-sent events) never ends: what arrived within readMs is the answer.
      const timer = setTimeout(() => {
        done();
        req.destroy();
      }, options.readMs ?? 2000);
      response.on('close', () => clearTimeout(timer));
    });
    req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)));
    req.end(options.body);
  });
}
