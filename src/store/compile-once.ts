import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.js';

/** A compiled statement and where each argument goes among its parameters. */
interface Compiled {
  sql: string;
  /** parameters[i] = args[order[i]]. */
  order: number[];
}

/**
 * A query of fixed shape, built and compiled by Kysely once per dialect and then run as a
 * CompiledQuery with new parameters: the builder's immutable node trees and the compiler's visit
 * cost more CPU per call than SQLite's work for the point reads and writes of the hot path
 * (docs/benchmarks.md). Each argument must reach the SQL as one parameter, as given (no literal,
 * no transformation inside `build`); the first use checks this and throws otherwise.
 */
export function compileOnce<A extends readonly unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>): (db: Kysely<Database>, ...args: A) => Promise<QueryResult<R>> {
  // Keyed by the dialect adapter: one per store, shared by its transactions' connections.
  const byAdapter = new WeakMap<object, Compiled>();
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let compiled = byAdapter.get(adapter);
    if (!compiled) {
      compiled = compileWithMarkers(db, build, args.length);
      byAdapter.set(adapter, compiled);
    }
    const { sql, order } = compiled;
    return db.executeQuery<R>(
      CompiledQuery.raw(
        sql,
        order.map((index) => args[index]),
      ),
    );
  };
}

function compileWithMarkers<A extends readonly unknown[], R>(db: Kysely<Database>, build: (db: Kysely<Database>, ...args: A) => Compilable<R>, count: number): Compiled {
  const markers = Array.from({ length: count }, (_, i) => `\u0001compile-once-${i}\u0001`);
  const { sql, parameters } = build(db, ...(markers as unknown as A)).compile();
  const order = parameters.map((value) => markers.indexOf(value as string));
  if (order.includes(-1) || markers.some((_, i) => !order.includes(i))) {
    throw new Error(`compileOnce: every argument must be exactly one parameter of the query (${sql})`);
  }
  return { sql, order };
}
