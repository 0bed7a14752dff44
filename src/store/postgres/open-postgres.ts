import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Store } from '../store.js';
import type { DialectBinding, DialectCapabilities } from '../capabilities.js';
import type { Database } from '../schema.js';
import { openKyselyStore } from '../kysely-store.js';
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
    // Waiting for a connection or an answer is bounded: after a database restart, work fails
    // and is retried instead of hanging on a slot or a socket that will never come back.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 30_000,
    // The schema travels in the startup packet: no extra round trip per connection, and no
    // half-set-up client to leak when that round trip fails.
    ...(schema !== undefined ? { options: `-c search_path="${schema}"` } : {}),
    // Our int8 values are epoch ms, ids and counts, all far below 2^53: parse them as numbers
    // for this pool only (pg's global parser stays untouched for other users in the process).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its server (a database restart, a terminated backend) emits 'error'; with no
  // listener Node would end the whole process. Idle clients emit on the pool, checked-out ones on
  // themselves; either way the query in flight rejects, the pool drops the client, and the caller
  // (a webhook answering 503, a job retried) reports the outage instead of dying.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });

  const db = new Kysely<Database>({
    dialect: replaceNulDialect(new PostgresDialect({ pool })),
  });
  const binding: DialectBinding = {
    capabilities: POSTGRES_CAPABILITIES,
    db,
    runTransaction: (fn) => db.transaction().execute(fn),
    migrate: () => migrateUnderLock(db, schema),
  };
  return openKyselyStore(binding);
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
