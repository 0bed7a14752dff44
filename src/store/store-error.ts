import { errorKind } from '../errors/sidekick-error.js';

/** Stable codes for the store's own failures. */
export type StoreErrorCode =
  /** A time that is not an ISO 8601 instant reached the store. */
  | 'STORE_INVALID_TIME'
  /** The row to update does not exist. */
  | 'STORE_NOT_FOUND'
  /** A unique key was taken by a different row (e.g. a run id reused for another trigger). */
  | 'STORE_CONFLICT'
  /** The row changed since it was read (optimistic concurrency): read it again and decide again. */
  | 'STORE_VERSION_CONFLICT'
  /** A schema name that is not a plain identifier. */
  | 'STORE_INVALID_SCHEMA'
  /** migrate() or close() called on a Store bound to a transaction. */
  | 'STORE_IN_TRANSACTION'
  /** Two concerns export a query of the same name (or one the Store has already): one would hide the other. */
  | 'STORE_DUPLICATE_OPERATION';

/** An error of the store, with a stable `code` and a message that says how to fix it. */
export class StoreError extends errorKind<StoreErrorCode>('StoreError', { codeInMessage: true }) {}
