import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createStore } from './create-store.js';
import { openPostgresStore } from './postgres/open-postgres.js';
import { listTestTargets, selected } from './testing/test-stores.js';
import { T0, newIncident } from './testing/fixtures.js';
import { findTestDatabase, testDatabaseUrls } from './testing/test-database-url.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-create-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const sqliteWanted = selected('sqlite-file', 'sqlite');
const postgres = (await listTestTargets('create_store')).find((t) => t.dialect === 'postgres');
const pgUrl = (await findTestDatabase()) ?? testDatabaseUrls()[0];

describe.runIf(sqliteWanted)('createStore with SQLite', () => {
  it('creates the data dir and an owner-only sidekick.db in WAL mode, and reopens it', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = await createStore({ dataDir, databaseUrl: '' });
    expect(store.dialect).toBe('sqlite');
    await store.createIncident(newIncident());
    await store.close();
    const file = join(dataDir, 'sidekick.db');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const raw = new BetterSqlite3(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();

    const reopened = await createStore({ dataDir });
    expect(await reopened.countIncidents({})).toBe(1);
    const [row] = (await reopened.listIncidents({})) ?? [];
    expect(row.createdAt).toBe(T0);
    await reopened.close();
  });

  it('keeps the database in memory for dataDir ":memory:" (the simulator), creating no folder', async () => {
    const store = await createStore({ dataDir: ':memory:' });
    await store.createIncident(newIncident());
    expect(await store.countIncidents({})).toBe(1);
    await store.close();
    expect(existsSync(':memory:')).toBe(false);
  });

  it('uses SQLite for anything that is not a postgres URL', async () => {
    for (const databaseUrl of [undefined, 'mysql://x', 'sqlite://x', '  ']) {
      const dataDir = tempDir();
      const store = await createStore({ dataDir, databaseUrl });
      expect(store.dialect).toBe('sqlite');
      await store.close();
      expect(existsSync(join(dataDir, 'sidekick.db'))).toBe(true);
    }
  });
});

describe.runIf(postgres !== undefined && postgres.skipReason === undefined)('createStore with PostgreSQL', () => {
  const schema = `sk_create_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    await postgres?.dispose();
  });

  it('selects PostgreSQL for postgres:// and postgresql:// URLs and creates the schema', async () => {
    const store = await createStore({ databaseUrl: pgUrl, dataDir: tempDir(), schema });
    expect(store.dialect).toBe('postgres');
    await store.ping();
    await store.close();
    const other = await createStore({ databaseUrl: pgUrl.replace(/^postgres:/, 'postgresql:'), dataDir: tempDir(), schema });
    expect(other.dialect).toBe('postgres');
    await other.close();
  });

  it('migrates safely when several instances start at once on a new schema', async () => {
    const fresh = `${schema}_race`;
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => createStore({ databaseUrl: pgUrl, dataDir: tempDir(), schema: fresh })));
      const numbers = await Promise.all(stores.map((store) => store.createIncident(newIncident())));
      expect(new Set(numbers.map((incident) => incident.number)).size).toBe(4);
      await Promise.all(stores.map((store) => store.close()));
    } finally {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`drop schema if exists "${fresh}" cascade`);
      await client.end();
    }
  });

  it('refuses a schema name that is not a plain identifier', () => {
    for (const bad of ['a"b', 'x; drop table y', '1abc', '', 'a'.repeat(64), 'ünï']) {
      expect(() => openPostgresStore({ connectionString: pgUrl, schema: bad })).toThrow(/STORE_INVALID_SCHEMA/);
    }
  });

  it('fails to start, without leaking the password, when the database is unreachable', async () => {
    const error = await createStore({
      databaseUrl: 'postgres://sidekick:s3cr3t-password@127.0.0.1:1/nowhere',
      dataDir: tempDir(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).not.toContain('s3cr3t-password');
  });
});
