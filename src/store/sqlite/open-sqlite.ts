import { closeSync, openSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Store } from '../store.js';
import type { DialectBinding, DialectCapabilities } from '../capabilities.js';
import type { Database } from '../schema.js';
import { openKyselyStore } from '../kysely-store.js';
import { migrateToLatest } from '../migrations/migrate-to-latest.js';
import { replaceNulDialect } from '../replace-nul-dialect.js';
import { cacheStatements } from './cache-statements.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

/** SQLite's flags: one writer, no sequences or advisory locks. */
export const SQLITE_CAPABILITIES: DialectCapabilities = {
  dialect: 'sqlite',
  skipLocked: false,
  numberFromSequence: false,
  advisoryLocks: false,
  // SQLITE_MAX_VARIABLE_NUMBER is 32766 since 3.32; keep a margin.
  maxParameters: 30_000,
};

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) a SQLite store: WAL, synchronous=NORMAL (durable across process
 * crashes, at most the last commits lost on power failure), busy_timeout, foreign keys on.
 * `file` is a path or `:memory:`. Does not migrate; call `migrate()` (createStore does).
 * One process should hold one store per file: better-sqlite3 waits for locks synchronously.
 */
export function openSqliteStore(options: { file: string }): Store {
  if (options.file !== ':memory:') {
    // Created owner-only before SQLite opens it (the -wal and -shm files copy these permissions):
    // the database holds generated secrets.
    closeSync(openSync(options.file, 'a', 0o600));
  }
  const database = new BetterSqlite3(options.file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  database.pragma('foreign_keys = ON');
  // Checkpoints are where WAL mode fsyncs, 40–50 ms for 16 MB: a thread of their own does them
  // (wal-checkpointer.ts); the inline one at 32,000 pages (~128 MB) is only a backstop.
  const checkpointer = options.file === ':memory:' ? undefined : startWalCheckpointer(options.file);
  database.pragma(`wal_autocheckpoint = ${checkpointer ? 32_000 : 4000}`);
  database.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);

  const db = new Kysely<Database>({ dialect: replaceNulDialect(new SqliteDialect({ database: cacheStatements(database) })) });
  const binding: DialectBinding = {
    capabilities: SQLITE_CAPABILITIES,
    db,
    runTransaction: (fn) => runImmediateTransaction(db, fn),
    migrate: () => migrateToLatest(db, 'sqlite'),
    close: async () => checkpointer?.stop(),
  };
  return openKyselyStore(binding);
}

/**
 * BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
 * fails with SQLITE_BUSY when another writer got in between, and busy_timeout cannot help it.
 * Kysely's SQLite driver has one connection behind a mutex, so holding it here also makes the
 * rest of this process wait for the transaction.
 */
async function runImmediateTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    let result: T;
    try {
      result = await fn(connection);
    } catch (error) {
      // SQLite may have rolled back already (e.g. SQLITE_FULL); the original error matters more.
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
    await sql`commit`.execute(connection);
    return result;
  });
}
