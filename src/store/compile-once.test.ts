import BetterSqlite3 from 'better-sqlite3';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileOnce } from './compile-once.js';
import type { Database } from './schema.js';

function sqliteDb(): Kysely<Database> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  return db;
}

describe('compileOnce', () => {
  it('runs the compiled statement with each call’s own arguments, in the order the SQL wants them', async () => {
    const db = sqliteDb();
    await sql`create table effects (key text primary key, result text not null, created_at integer not null)`.execute(db);
    // Arguments given in another order than the columns: the parameter order comes from the SQL.
    const insert = compileOnce((d, createdAt: number, key: string, result: string) => d.insertInto('effects').values({ key, result, created_at: createdAt }));
    const select = compileOnce((d, key: string) => d.selectFrom('effects').selectAll().where('key', '=', key));
    await insert(db, 1, 'a', '"one"');
    await insert(db, 2, 'b', '"two"');
    await db.transaction().execute((trx) => insert(trx, 3, 'c', '"three"'));
    expect((await select(db, 'b')).rows).toEqual([{ key: 'b', result: '"two"', created_at: 2 }]);
    expect((await select(db, 'c')).rows).toEqual([{ key: 'c', result: '"three"', created_at: 3 }]);
    expect((await select(db, 'z')).rows).toEqual([]);
    await db.destroy();
  });

  it('compiles per dialect: PostgreSQL gets numbered parameters', async () => {
    const queries: string[] = [];
    const db = new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (d) => new PostgresIntrospector(d),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
      log: (event) => {
        queries.push(`${event.query.sql} ${JSON.stringify(event.query.parameters)}`);
      },
    });
    const remove = compileOnce((d, id: number, owner: string) => d.deleteFrom('jobs').where('id', '=', id).where('lease_owner', '=', owner));
    await remove(db, 7, 'me');
    await remove(db, 8, 'you');
    expect(queries).toEqual(['delete from "jobs" where "id" = $1 and "lease_owner" = $2 [7,"me"]', 'delete from "jobs" where "id" = $1 and "lease_owner" = $2 [8,"you"]']);
  });

  it('refuses a query where an argument does not become a parameter of its own', async () => {
    const db = sqliteDb();
    const literal = compileOnce((d, key: string) => d.selectFrom('effects').selectAll().where('key', '=', sql.lit(key)));
    await expect(literal(db, 'a')).rejects.toThrow(/every argument must be exactly one parameter/);
    const unused = compileOnce((d, _key: string) => d.selectFrom('effects').selectAll());
    await expect(unused(db, 'a')).rejects.toThrow(/every argument/);
    await db.destroy();
  });
});
