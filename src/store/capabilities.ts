import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

/** What differs between the dialects, as flags the shared queries branch on. */
export interface DialectCapabilities {
  readonly dialect: StoreDialect;
  /** Claims lock their rows with FOR UPDATE SKIP LOCKED (many instances); SQLite has one writer. */
  readonly skipLocked: boolean;
  /** Incident numbers come from a sequence; otherwise max + 1 inside the insert statement. */
  readonly numberFromSequence: boolean;
  /**
   * Room messages take a transaction advisory lock so that `seq` values commit in order: with
   * concurrent writers a poller asking `afterSeq: 10` would otherwise miss a 9 committed late.
   */
  readonly advisoryLocks: boolean;
  /** Bind parameters per statement we allow ourselves (SQLite: 32766, PostgreSQL: 65535). */
  readonly maxParameters: number;
}

/** A dialect as the shared store needs it: a Kysely instance and how to run its transactions. */
export interface DialectBinding {
  readonly capabilities: DialectCapabilities;
  readonly db: Kysely<Database>;
  /** Runs `fn` in a new transaction on one connection (SQLite: BEGIN IMMEDIATE). */
  runTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Brings the schema to the latest migration. */
  migrate(): Promise<void>;
  /** Stops what the dialect runs beside the connection (SQLite's checkpointer thread). */
  close?(): Promise<void>;
}
