import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './store.js';
import { openSqliteStore } from './sqlite/open-sqlite.js';

export interface CreateStoreOptions {
  /** postgres:// or postgresql:// selects PostgreSQL; anything else (or nothing) SQLite. */
  databaseUrl?: string;
  /** Where the SQLite file lives (`<dataDir>/sidekick.db`); created if missing. `:memory:` keeps it in memory. */
  dataDir: string;
  /** PostgreSQL schema to use (created if missing). */
  schema?: string;
}

/**
 * Opens the configured store and brings its schema up to date.
 *
 * @example
 * const store = await createStore({ databaseUrl: process.env.DATABASE_URL, dataDir: '.sidekick' });
 */
export async function createStore(options: CreateStoreOptions): Promise<Store> {
  const url = options.databaseUrl?.trim();
  let store: Store;
  if (url && /^postgres(ql)?:\/\//i.test(url)) {
    // pg loads only when PostgreSQL is used: the embedded default starts faster without it.
    const { openPostgresStore } = await import('./postgres/open-postgres.js');
    store = openPostgresStore({ connectionString: url, schema: options.schema });
  } else if (options.dataDir === ':memory:') {
    // The simulator and tests: nothing touches the disk.
    store = openSqliteStore({ file: ':memory:' });
  } else {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    store = openSqliteStore({ file: join(options.dataDir, 'sidekick.db') });
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
