import { Kysely, PostgresDialect, CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import type { Store } from '../store.js';
import type { DialectBinding, DialectCapabilities } from '../capabilities.js';
import type { Database } from '../schema.js';
import { KyselyStore } from '../kysely-store.js';
import { migrateToLatest } from '../migrations/migrate-to-latest.js';
import { replaceNulDialect } from '../replace-nul-dialect.js';
import { StoreError } from '../store-error.js';

/** PostgreSQL's flags: many instances, so row locks, sequences and advisory locks. */
export const POSTGRES_CAPABILITIES: DialectCapabilities = {
  dialect: 'postgres',
  skipLocked: true,
  numberFromSequence: true,
  advisoryLocks: true,
  maxParameters: 60_000,
};

const INT8_OID = 20;

export interface PostgresStoreOptions {
  connectionString: string;
  /** A schema of its own (created if missing), e.g. one per test file. */
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
}

/**
 * Opens a PostgreSQL store on a pg Pool. With `schema`, every connection gets
 * `search_path = <schema>`, so nothing reads or writes outside it. Does not migrate; call
 * `migrate()` (createStore does).
 */
export function openPostgresStore(options: PostgresStoreOptions): Store {
  const schema = options.schema;
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new StoreError('STORE_INVALID_SCHEMA', `schema ${JSON.stringify(schema)} must be letters, digits and _`);
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // Our int8 values are epoch ms, ids and counts, all far below 2^53: parse them as numbers
    // for this pool only (pg's global parser stays untouched for other users in the process).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server emits here; unhandled it would kill the process. The pool
  // drops that client and the next query reports the outage to its caller.
  pool.on('error', () => undefined);

  const db = new Kysely<Database>({
    dialect: replaceNulDialect(
      new PostgresDialect({
        pool,
        onCreateConnection: async (connection) => {
          if (schema !== undefined) await connection.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`));
        },
      }),
    ),
  });
  const binding: DialectBinding = {
    capabilities: POSTGRES_CAPABILITIES,
    db,
    runTransaction: (fn) => db.transaction().execute(fn),
    migrate: () => migrateUnderLock(db, schema),
  };
  return new KyselyStore(binding);
}

/**
 * Two instances starting together must not both create tables: a session advisory lock (keyed by
 * schema) is held on one connection while the schema is created and migrated on others.
 */
async function migrateUnderLock(db: Kysely<Database>, schema: string | undefined): Promise<void> {
  const key = `sidekick:migrate:${schema ?? ''}`;
  await db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(connection);
    try {
      if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(connection);
      await migrateToLatest(db, 'postgres', schema);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(connection);
    }
  });
}
