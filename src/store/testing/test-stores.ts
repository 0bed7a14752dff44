import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { requireTestDatabase } from './test-database-url.js';
import type { Store } from '../store.js';
import { TABLES_CHILDREN_FIRST } from '../schema.js';
import { openSqliteStore } from '../sqlite/open-sqlite.js';
import { openPostgresStore } from '../postgres/open-postgres.js';

/** One database a shared test suite runs against. */
export interface TestTarget {
  readonly name: 'sqlite-memory' | 'sqlite-file' | 'postgres';
  readonly dialect: 'sqlite' | 'postgres';
  /** Why the target is skipped, if it is. */
  readonly skipReason?: string;
  /** A migrated store with no rows. */
  open(): Promise<Store>;
  /** Another instance on the database of the last `open()` (PostgreSQL only: many instances). */
  openSibling?(): Promise<Store>;
  /** Removes what the target created (temporary files, the schema). */
  dispose(): Promise<void>;
}

/**
 * The targets for one test file: SQLite in memory, SQLite in a temporary file, and PostgreSQL in a
 * schema of its own (`sk_<fileKey>_<random>`, dropped by `dispose`). `SIDEKICK_TEST_DIALECTS`
 * (comma-separated dialect or target names) filters; `SIDEKICK_TEST_DATABASE_URL` overrides the
 * PostgreSQL address. An unreachable PostgreSQL is skipped with a loud warning.
 */
export async function listTestTargets(fileKey: string): Promise<TestTarget[]> {
  const targets: TestTarget[] = [];
  if (selected('sqlite-memory', 'sqlite')) targets.push(sqliteMemoryTarget());
  if (selected('sqlite-file', 'sqlite')) targets.push(sqliteFileTarget());
  if (selected('postgres', 'postgres')) targets.push(await postgresTarget(fileKey));
  return targets;
}

/** Whether SIDEKICK_TEST_DIALECTS (unset: everything) selects this target or dialect. */
export function selected(name: string, dialect: string): boolean {
  const wanted = (process.env.SIDEKICK_TEST_DIALECTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return wanted.length === 0 || wanted.includes(name) || wanted.includes(dialect);
}

function sqliteMemoryTarget(): TestTarget {
  return {
    name: 'sqlite-memory',
    dialect: 'sqlite',
    async open() {
      const store = openSqliteStore({ file: ':memory:' });
      await store.migrate();
      return store;
    },
    async dispose() {},
  };
}

function sqliteFileTarget(): TestTarget {
  let dir: string | undefined;
  let count = 0;
  return {
    name: 'sqlite-file',
    dialect: 'sqlite',
    async open() {
      dir ??= mkdtempSync(join(tmpdir(), 'sidekick-store-test-'));
      count += 1;
      const store = openSqliteStore({ file: join(dir, `store-${count}.db`) });
      await store.migrate();
      return store;
    },
    async dispose() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(fileKey: string): Promise<TestTarget> {
  const url = await requireTestDatabase(fileKey);
  const schema = `sk_${fileKey.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  if (!url) {
    return { name: 'postgres', dialect: 'postgres', skipReason: 'PostgreSQL unreachable', open: unreachable, dispose: async () => {} };
  }
  let migrated = false;
  const admin = new pg.Client({ connectionString: url });
  let adminConnected = false;
  const open = async (): Promise<Store> => {
    const store = openPostgresStore({ connectionString: url, schema });
    if (!migrated) {
      await store.migrate();
      migrated = true;
    } else {
      if (!adminConnected) {
        await admin.connect();
        adminConnected = true;
      }
      const tables = TABLES_CHILDREN_FIRST.map((table) => `"${schema}"."${table}"`).join(', ');
      await admin.query(`truncate table ${tables} restart identity cascade`);
    }
    return store;
  };
  return {
    name: 'postgres',
    dialect: 'postgres',
    open,
    async openSibling() {
      return openPostgresStore({ connectionString: url, schema });
    },
    async dispose() {
      if (!adminConnected) await admin.connect();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    },
  };
}

async function unreachable(): Promise<Store> {
  throw new Error('PostgreSQL is unreachable');
}
