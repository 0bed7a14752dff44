import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceMap } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const importLog = pathToFileURL(join(root, 'bench/import-log/register.mjs')).href;
const recordRequired = join(root, 'test/helpers/record-required.mjs');

/** Packages a start must not load; the bundle leaves them out and imports them on first use. */
const LAZY_PACKAGES = ['@modelcontextprotocol/sdk', 'openid-client', '@node-rs/argon2', 'pg', '@slack/bolt', '@slack/web-api', '@octokit/rest', '@gitbeaker/rest', 'jira.js'];

/**
 * `npm run build` bundles the server with tools/bundle-server.mjs, and `npm start` and the `bin`
 * run the bundle. It is built here into a folder inside the project (so the packages it leaves
 * out resolve from node_modules, and the examples from the project) and started as a user would.
 */
describe('the bundled server (tools/bundle-server.mjs)', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(root, 'node_modules/.sidekick-bundle-'));
    execFileSync(process.execPath, [join(root, 'tools/bundle-server.mjs'), out], { cwd: root, stdio: 'pipe' });
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('starts until ready, leaving other commands and optional packages unloaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-bundle-start-'));
    const log = join(dir, 'imports.log');
    const required = join(dir, 'required.log');
    const child = spawn(process.execPath, ['--import', recordRequired, '--import', importLog, join(out, 'src/cli/main.js'), 'start', '--port', '0'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, SIDEKICK_DATA_DIR: join(dir, 'data'), BENCH_IMPORT_LOG: log, RECORD_REQUIRED: required },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await untilReady(child);
      await stop(child);
      const loaded = [
        ...readFileSync(log, 'utf8').split('\n'),
        ...readFileSync(required, 'utf8')
          .split('\n')
          .map((path) => pathToFileURL(path).href),
      ].filter(Boolean);
      // The log works: the bundle's entry, its start chunk and a package left out of it are there.
      expect(loaded.some((url) => url.endsWith('/src/cli/main.js'))).toBe(true);
      expect(loaded.some((url) => /\/chunks\/start-[^/]+\.js$/.test(url))).toBe(true);
      expect(loaded.some((url) => url.includes('/node_modules/better-sqlite3/'))).toBe(true);
      // Bundled packages load from the bundle, not from node_modules.
      expect(loaded.filter((url) => /\/node_modules\/(kysely|zod|fastify)\//.test(url))).toEqual([]);
      expect(LAZY_PACKAGES.filter((name) => loaded.some((url) => url.includes(`/node_modules/${name}/`)))).toEqual([]);
      expect(loaded.filter((url) => /\/chunks\/(mcp|users|report|simulate)-[^/]+\.js$/.test(url))).toEqual([]);
    } finally {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('maps its code back to src/', () => {
    const chunk = readdirSync(join(out, 'chunks')).find((name) => /^start-[^/]+\.js$/.test(name))!;
    const lines = readFileSync(join(out, 'chunks', chunk), 'utf8').split('\n');
    const map = new SourceMap(JSON.parse(readFileSync(join(out, 'chunks', `${chunk}.map`), 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    const line = lines.findIndex((text) => text.startsWith('async function createServer('));
    expect(line).toBeGreaterThan(0);
    const entry = map.findEntry(line, 0) as { originalSource?: string; originalLine?: number };
    expect(entry.originalSource).toMatch(/src\/server\/create-server\.ts$/);
    const source = readFileSync(join(root, 'src/server/create-server.ts'), 'utf8').split('\n');
    expect(source[entry.originalLine!]).toMatch(/^export async function createServer\(/);
  });
});

async function untilReady(child: ChildProcess): Promise<void> {
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 50 s: ${output.slice(-1000)}`)), 50_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Sidekick is ready at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bundled sidekick start exited (${code}) before it was ready: ${output.slice(-1000)}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
