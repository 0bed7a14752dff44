import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findTestDatabase, requireTestDatabase, testDatabaseUrls } from '../../src/store/testing/test-database-url.js';

const root = join(import.meta.dirname, '../..');

/** The shared test PostgreSQL (SIDEKICK_TEST_DATABASE_URL, else the local trust-auth server). */
export const PG_URL = (await findTestDatabase()) ?? testDatabaseUrls()[0];

/** True when PostgreSQL answers; otherwise warns loudly so a skipped fault suite is never silent. */
export async function postgresReachable(suite: string): Promise<boolean> {
  return (await requireTestDatabase(suite)) !== undefined;
}

/** A fresh schema name; also used as the connections' application_name so faults can target them. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Runs one statement on the test database with a short-lived connection. */
export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`drop schema if exists "${schema}" cascade`).catch((error) => console.warn(`could not drop ${schema}: ${(error as Error).message}`));
}

export interface FaultSetup {
  dir: string;
  schema: string;
  configPath: string;
  remove(): void;
}

/**
 * A config folder for instances sharing one PostgreSQL schema: short leases so a dead instance's
 * work is taken over within a second, and `application_name = schema` on every connection.
 */
export function prepareInstances(options: { schema: string; flows: Record<string, string>; extraYaml?: string; leaseMs?: number; pgUrl?: string }): FaultSetup {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-faults-'));
  mkdirSync(join(dir, 'flows'));
  const base = options.pgUrl ?? PG_URL;
  const url = `${base}${base.includes('?') ? '&' : '?'}application_name=${options.schema}`;
  const configPath = join(dir, 'sidekick.yaml');
  writeFileSync(
    configPath,
    [
      `dataDir: ./data`,
      `databaseUrl: "${url}"`,
      `databaseSchema: ${options.schema}`,
      `flows: { dirs: [./flows], examples: false }`,
      `playbooks: { dirs: [], examples: false }`,
      `worker: { leaseMs: ${options.leaseMs ?? 1000}, pollMs: 50 }`,
      options.extraYaml ?? '',
    ].join('\n'),
  );
  for (const [name, text] of Object.entries(options.flows)) writeFileSync(join(dir, 'flows', name), text);
  return { dir, schema: options.schema, configPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Instance {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote (stdout and stderr), for log checks. */
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `sidekick start` as a real process and resolves once it says it is ready. */
export function startInstance(configPath: string, env: Record<string, string> = {}): Promise<Instance> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(DATABASE_URL|SIDEKICK_|SLACK_)/.test(key))) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'start', '--port', '0'], {
      cwd: root,
      env: { ...clean, SIDEKICK_CONFIG: configPath, SIDEKICK_LOG_LEVEL: env.SIDEKICK_LOG_LEVEL ?? 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let ready = false;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const timer = setTimeout(() => reject(new Error(`not ready in 30 s: ${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (http:\/\/[^\s]+)/.exec(output);
      if (match && !ready) {
        ready = true;
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output, exited });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`exited ${code}: ${output}`));
      }
    });
  });
}

/** Sends a signal and resolves when the process is gone. */
export async function stopInstance(instance: Instance, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return instance.child.exitCode;
  instance.child.kill(signal);
  return instance.exited;
}

/** Polls `check` until it returns something truthy; fails after `ms`. */
export async function until<T>(check: () => Promise<T | undefined | false>, ms = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} not met in ${ms} ms${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

export async function fireAlert(url: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export interface IncidentDetail {
  incident: { id: string; status: string; channels: { adapter: string; id: string }[] };
  timeline: { kind: string; text: string; data?: Record<string, unknown> }[];
  messages: { id: string; text: string; blocks?: { type: string; buttons?: { label: string; value: string }[] }[]; fromBot: boolean }[];
  runs: { id: string; status: string }[];
  tasks: { id: string; boxId: string; status: string; port?: string }[];
}

export async function firstIncident(url: string): Promise<IncidentDetail | undefined> {
  const { incidents } = await getJson<{ incidents: { id: string }[] }>(`${url}/api/incidents`);
  if (!incidents[0]) return undefined;
  return getJson<IncidentDetail>(`${url}/api/incidents/${incidents[0].id}`);
}

/** How many times each text occurs. */
export function countTexts(texts: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const text of texts) counts[text] = (counts[text] ?? 0) + 1;
  return counts;
}
