import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import { startSidekick, type StartedSidekick } from '../../src/server/start.js';
import type { RuntimeOverrides } from '../../src/runtime/create-runtime.js';

export interface TestSidekick extends StartedSidekick {
  dir: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  get(path: string): Promise<{ status: number; body: any }>;
  /** Polls until `check` returns a truthy value (or throws after `ms`). */
  until<T>(check: () => Promise<T | undefined | false>, ms?: number): Promise<T>;
}

/**
 * A real Sidekick on 127.0.0.1 with a fresh data folder, for HTTP-level tests.
 * `flows` (file name → YAML) replaces the bundled example flows when given.
 */
export async function startTestSidekick(
  options: {
    flows?: Record<string, string>;
    env?: Record<string, string>;
    yaml?: string;
    overrides?: RuntimeOverrides;
  } = {},
): Promise<TestSidekick> {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-test-'));
  if (options.flows) {
    mkdirSync(join(dir, 'flows'));
    for (const [name, text] of Object.entries(options.flows)) writeFileSync(join(dir, 'flows', name), text);
  }
  if (options.yaml) writeFileSync(join(dir, 'sidekick.yaml'), options.yaml);
  const config = loadConfig({ cwd: dir, env: { SIDEKICK_DATA_DIR: join(dir, 'data'), ...options.env } });
  if (options.flows) config.flows.examples = false;
  const sidekick = await startSidekick({
    config,
    port: 0,
    overrides: { log: pino({ level: process.env.SIDEKICK_TEST_LOG ?? 'silent' }), pollMs: 50, ...options.overrides },
  });
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${sidekick.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, body: parsed as any };
  };
  return {
    ...sidekick,
    dir,
    post: (path, body, headers) => request('POST', path, body, headers),
    get: (path) => request('GET', path),
    async until(check, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const value = await check();
        if (value) return value as never;
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await sidekick.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
