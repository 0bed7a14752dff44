import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { DialectCapabilities } from './capabilities.js';
import type { Database } from './schema.js';

/** What every query function gets: the connection (or transaction) and the dialect's flags. */
export interface QueryContext {
  readonly db: Kysely<Database>;
  readonly caps: DialectCapabilities;
  /** Runs `fn` in a transaction, or directly when this context already is one (nested calls reuse it). */
  transaction<T>(fn: (tx: QueryContext) => Promise<T>): Promise<T>;
}

/** Splits rows so that one multi-row statement stays under the dialect's parameter limit. */
export function chunkRows<T>(rows: T[], columnsPerRow: number, maxParameters: number): T[][] {
  const size = Math.max(1, Math.floor(maxParameters / columnsPerRow));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/** How many rows a `selectFrom` (narrowed as the caller likes) finds; a count comes back as a string from Postgres. */
export async function countRows<DB, TB extends keyof DB>(query: SelectQueryBuilder<DB, TB, object>): Promise<number> {
  // The selection's type stays unresolved for a generic table; it is `{ n }` whatever the table.
  const row = (await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()) as { n: number | string };
  return Number(row.n);
}
