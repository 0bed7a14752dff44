import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
// Logs every module file the process resolves (static and dynamic imports alike).
const importLog = pathToFileURL(join(root, 'bench/import-log/register.mjs')).href;
// Lists the CommonJS files the process loaded (what CommonJS packages require inside), at exit.
const recordRequired = join(root, 'test/helpers/record-required.mjs');

/** Packages only some configurations or some requests use: `sidekick start` with the defaults must not load them. */
const LAZY_PACKAGES = [
  // Fastify's schema compilers: Sidekick's routes declare no JSON schema.
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  'ajv',
  '@modelcontextprotocol/sdk',
  'openid-client',
  '@node-rs/argon2',
  'pg',
  '@slack/bolt',
  '@slack/web-api',
  '@octokit/rest',
  '@gitbeaker/rest',
  'jira.js',
  'marklassian',
];
/** Sidekick modules only other commands or later requests use. */
const LAZY_SOURCES = [
  'src/cli/commands/mcp.ts',
  'src/cli/commands/users.ts',
  'src/cli/commands/report.ts',
  'src/cli/commands/simulate.ts',
  'src/cli/commands/slack.ts',
  'src/cli/commands/teams.ts',
  'src/mcp/create-mcp-server.ts',
  'src/runtime/build-report.ts',
  'src/report/draft/draft-report.ts',
];

/**
 * Starts `sidekick start` with the embedded defaults until it is ready, then stops it; returns the
 * module files it resolved until ready and the CommonJS files it had loaded when it exited.
 */
async function modulesLoadedUntilReady(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-start-imports-'));
  const log = join(dir, 'imports.log');
  const required = join(dir, 'required.log');
  const child = spawn(process.execPath, ['--import', recordRequired, '--import', tsx, '--import', importLog, join(root, 'src/cli/main.ts'), 'start', '--port', '0'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, SIDEKICK_DATA_DIR: join(dir, 'data'), BENCH_IMPORT_LOG: log, RECORD_REQUIRED: required },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready after 50 s: ${output.slice(-1000)}`)), 50_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Sidekick is ready at')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sidekick start exited (${code}) before it was ready: ${output.slice(-1000)}`));
      });
    });
    const resolved = readFileSync(log, 'utf8').split('\n');
    await stop(child);
    const files = readFileSync(required, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((path) => pathToFileURL(path).href);
    return [...new Set([...resolved, ...files].filter(Boolean))];
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('what `sidekick start` loads before it is ready', () => {
  it('leaves out the packages and modules that only other commands, configurations or requests need', async () => {
    const urls = await modulesLoadedUntilReady();
    // The log works: the start path itself is in it.
    expect(urls.some((url) => url.endsWith('/src/server/start.ts'))).toBe(true);
    expect(urls.some((url) => url.includes('/node_modules/fastify/'))).toBe(true);

    const packages = LAZY_PACKAGES.filter((name) => urls.some((url) => url.includes(`/node_modules/${name}/`)));
    expect(packages).toEqual([]);
    const sources = LAZY_SOURCES.filter((path) => urls.some((url) => url.endsWith(`/${path}`)));
    expect(sources).toEqual([]);
  }, 60_000);
});
