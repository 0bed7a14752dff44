import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';

/*
 * PostgreSQL refuses U+0000 in text ("invalid byte sequence for encoding UTF8: 0x00"), so one
 * hostile alert title would fail a whole webhook batch, forever, on every redelivery. Every string
 * parameter therefore has U+0000 replaced by U+FFFD on its way to the database, on both dialects so
 * that they behave the same. JSON columns are unaffected: JSON.stringify already escapes U+0000,
 * so `raw` payloads and dead-letter bodies still round-trip exactly.
 */

const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

/** Wraps a dialect so that no string parameter reaches the database with a U+0000 in it. */
export function replaceNulDialect(dialect: Dialect): Dialect {
  return {
    createDriver: () => new ReplaceNulDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** The text as the database will hold it. */
export function replaceNul(text: string): string {
  return text.includes(NUL) ? text.replaceAll(NUL, REPLACEMENT) : text;
}

/** Replaces U+0000 in string parameters; returns the very same query when there is none. */
export function replaceNulInQuery(query: CompiledQuery): CompiledQuery {
  let parameters: unknown[] | undefined;
  query.parameters.forEach((value, index) => {
    if (typeof value === 'string' && value.includes(NUL)) {
      parameters ??= [...query.parameters];
      parameters[index] = value.replaceAll(NUL, REPLACEMENT);
    }
  });
  return parameters === undefined ? query : { ...query, parameters };
}

class ReplaceNulDriver implements Driver {
  readonly #inner: Driver;
  // The inner driver must get its own connection objects back (pg releases through a symbol).
  readonly #wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
  readonly #unwrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#inner.acquireConnection();
    let wrapper = this.#wrapped.get(connection);
    if (!wrapper) {
      wrapper = {
        executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> => connection.executeQuery<R>(replaceNulInQuery(query)),
        streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(replaceNulInQuery(query), chunkSize),
      };
      this.#wrapped.set(connection, wrapper);
      this.#unwrapped.set(wrapper, connection);
    }
    return wrapper;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(this.#unwrap(connection), settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(this.#unwrap(connection));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(this.#unwrap(connection));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(this.#unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }

  #unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.#unwrapped.get(connection) ?? connection;
  }
}
