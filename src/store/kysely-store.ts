import { sql, type Kysely } from 'kysely';
import type { Alert } from '../alerts/alert.js';
import { CONCERNS, type NewAlert, type Store } from './store.js';
import type { DialectBinding, DialectCapabilities, StoreDialect } from './capabilities.js';
import type { QueryContext } from './query-context.js';
import type { Database } from './schema.js';
import { StoreError } from './store-error.js';
import { installOperations } from './operations.js';
import { prepareAlertRequest, storeAlertRequests } from './queries/insert-alerts.js';
import { AlertInsertBatcher } from './alert-insert-batcher.js';

/**
 * The one Store, shared by both dialects: a query context (the pool, or inside `transaction` that
 * transaction's connection) whose methods are the concerns' query functions, installed once on
 * the prototype below. What is written here is only what is not a query.
 */
class KyselyStore implements QueryContext {
  readonly dialect: StoreDialect;
  readonly db: Kysely<Database>;
  readonly caps: DialectCapabilities;
  readonly #binding: DialectBinding;
  readonly #inTransaction: boolean;
  /** Group commit of concurrent insertAlerts calls; only the outer store has one. */
  readonly #alertBatcher?: AlertInsertBatcher;

  constructor(binding: DialectBinding, transactionDb?: Kysely<Database>) {
    this.#binding = binding;
    this.caps = binding.capabilities;
    this.dialect = binding.capabilities.dialect;
    this.db = transactionDb ?? binding.db;
    this.#inTransaction = transactionDb !== undefined;
    if (!this.#inTransaction) {
      this.#alertBatcher = new AlertInsertBatcher((requests) => storeAlertRequests(this, requests), {
        gatherFirst: this.dialect === 'sqlite',
      });
    }
  }

  async migrate(): Promise<void> {
    if (this.#inTransaction) throw new StoreError('STORE_IN_TRANSACTION', 'migrate() runs outside transactions');
    await this.#binding.migrate();
  }

  async close(): Promise<void> {
    if (this.#inTransaction) throw new StoreError('STORE_IN_TRANSACTION', 'close() the outer store, not a transaction');
    await this.#binding.db.destroy();
    await this.#binding.close?.();
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#inTransaction) return fn(asStore(this));
    return this.#binding.runTransaction((trx) => fn(asStore(new KyselyStore(this.#binding, trx))));
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async insertAlerts(list: NewAlert[], options: { now: string; dedupWindowMs: number }): Promise<{ inserted: Alert[]; duplicates: number }> {
    const request = prepareAlertRequest(list, options);
    if (request.rows.length === 0) return { inserted: [], duplicates: 0 };
    if (!this.#alertBatcher) return (await storeAlertRequests(this, [request]))[0];
    return this.#alertBatcher.submit(request);
  }
}

installOperations(KyselyStore.prototype, CONCERNS, ['dialect', 'db', 'caps']);

/** The operations the Store type promises are on the prototype (installOperations above). */
function asStore(store: KyselyStore): Store {
  return store as unknown as Store;
}

/** A Store over one dialect's connection pool; `migrate()` it before use. */
export function openKyselyStore(binding: DialectBinding): Store {
  return asStore(new KyselyStore(binding));
}
