import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findTestDatabase, requireTestDatabase, testDatabaseUrls } from '../../src/store/testing/test-database-url.js';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/store.js';

const POSTGRES_URL = (await findTestDatabase()) ?? testDatabaseUrls()[0];

/** Whether the test PostgreSQL answers; warns loudly when it does not. */
export async function postgresReachable(): Promise<boolean> {
  return (await requireTestDatabase('alert intake')) !== undefined;
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
