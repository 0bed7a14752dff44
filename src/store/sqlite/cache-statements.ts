import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; our query shapes are few, batch sizes add some. */
const CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; SQLite's prepare of a 100-row insert costs more than running
 * it. Query shapes repeat, so prepared statements are kept (least recently used out). Safe because
 * Kysely runs each statement to completion before the next on the single connection.
 */
export function cacheStatements(database: SqliteDatabase): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare: (sql: string): SqliteStatement => {
      const cached = cache.get(sql);
      if (cached) {
        cache.delete(sql); // re-insert: Map order is recency order
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}
