import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/store.js';

const POSTGRES_URL = process.env.SIDEKICK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the test PostgreSQL answers; warns loudly when it does not. */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    console.warn(`\n⚠ PostgreSQL at ${POSTGRES_URL} is unreachable (${(error as Error).message}); SKIPPING the PostgreSQL half of these tests\n`);
    return false;
  }
}

/** A fresh store of one dialect: SQLite in a temporary folder, or PostgreSQL in its own schema. */
export async function openTestStore(dialect: 'sqlite' | 'postgres', name: string): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), `sidekick-${name}-`));
    const store = await createStore({ dataDir });
    return { store, dispose: async () => (await store.close(), rmSync(dataDir, { recursive: true, force: true })) };
  }
  const schema = `${name}_${process.pid}_${Date.now().toString(36)}`.replace(/[^A-Za-z0-9_]/g, '_');
  const store = await createStore({ databaseUrl: POSTGRES_URL, dataDir: tmpdir(), schema });
  return {
    store,
    dispose: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}
