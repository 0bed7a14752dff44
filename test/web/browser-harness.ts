/**
 * Shared setup of the browser tests: Debian's Chromium driven by playwright-core (no browser
 * download), the web UI built into web/dist when its sources are newer, and a real Sidekick.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';
import { serveBuild } from './serve-build.js';

export const ROOT = join(import.meta.dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const SCREENSHOTS = join(ROOT, 'docs/screenshots');

if (!HAS_CHROMIUM) {
  console.warn(`\n\n*** BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM}. Install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH. ***\n\n`);
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds web/dist unless it is newer than every source of the UI. */
export function ensureWebBuild(): void {
  const index = join(ROOT, 'web/dist/index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'web/src')), newestMtime(join(ROOT, 'web/index.html')), newestMtime(join(ROOT, 'web/vite.config.ts')));
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  // Built aside and swapped in, so a Sidekick starting meanwhile (other test files) never sees half a build.
  const fresh = join(ROOT, `web/.dist-${process.pid}`);
  const old = join(ROOT, `web/.dist-old-${process.pid}`);
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn', '--outDir', fresh, '--emptyOutDir'], {
    cwd: ROOT,
    stdio: 'inherit',
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const dist = join(ROOT, 'web/dist');
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(fresh, dist);
  rmSync(old, { recursive: true, force: true });
}

/** Chromium, headless and quiet: no first-run, sync, component updates or other calls home. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface WebSidekick {
  sidekick: TestSidekick;
  /** Where the browser opens the UI. */
  url: string;
  close(): Promise<void>;
}

/**
 * A real Sidekick serving the built UI at `/`. `SIDEKICK_WEB_DIST=<dir>` serves another build in
 * front of it instead (to try a build without touching web/dist).
 */
export async function startWebSidekick(options: Parameters<typeof startTestSidekick>[0] = {}): Promise<WebSidekick> {
  const sidekick = await startTestSidekick(options);
  const other = process.env.SIDEKICK_WEB_DIST;
  if (!other) return { sidekick, url: sidekick.url, close: () => sidekick.close() };
  const front = await serveBuild(other, sidekick.url);
  return {
    sidekick,
    url: front.url,
    async close() {
      await front.close();
      await sidekick.close();
    },
  };
}

/**
 * A Sidekick that requires the web login: the config says it is bound beyond loopback (which is
 * what makes the login mandatory), but the test listens on 127.0.0.1 only.
 */
export async function startLockedSidekick(password: string): Promise<{ url: string; close(): Promise<void> }> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { pino } = await import('pino');
  const { loadConfig } = await import('../../src/config/load-config.js');
  const { createRuntime } = await import('../../src/runtime/create-runtime.js');
  const { createServer } = await import('../../src/server/create-server.js');
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-web-login-'));
  const config = loadConfig({ cwd: dir, env: { SIDEKICK_DATA_DIR: join(dir, 'data'), SIDEKICK_WEB_PASSWORD: password } });
  config.server.host = '0.0.0.0';
  const runtime = await createRuntime(config, { log: pino({ level: 'silent' }), pollMs: 50 });
  const app = await createServer(runtime);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const server = { url: address.replace('localhost', '127.0.0.1'), close: async () => undefined };
  const front = process.env.SIDEKICK_WEB_DIST ? await serveBuild(process.env.SIDEKICK_WEB_DIST, server.url) : undefined;
  return {
    url: front?.url ?? server.url,
    async close() {
      await front?.close();
      await app.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
