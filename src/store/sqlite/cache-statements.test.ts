import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { cacheStatements } from './cache-statements.js';

describe('cacheStatements', () => {
  it('prepares each SQL text once and reuses the statement', () => {
    const database = new BetterSqlite3(':memory:');
    let prepared = 0;
    const counting = { close: () => database.close(), prepare: (sql: string) => (prepared++, database.prepare(sql)) };
    const cached = cacheStatements(counting);
    const first = cached.prepare('select 1 as one');
    expect(cached.prepare('select 1 as one')).toBe(first);
    expect(first.all([])).toEqual([{ one: 1 }]);
    expect(prepared).toBe(1);
    cached.close();
  });

  it('forgets the least recently used statement beyond its size', () => {
    const database = new BetterSqlite3(':memory:');
    const prepared: string[] = [];
    const cached = cacheStatements({ close: () => database.close(), prepare: (sql: string) => (prepared.push(sql), database.prepare(sql)) });
    for (let i = 0; i <= 300; i++) {
      cached.prepare(`select ${i}`);
      cached.prepare('select -1'); // used all along: stays
    }
    prepared.length = 0;
    cached.prepare('select -1');
    cached.prepare('select 300');
    cached.prepare('select 0');
    expect(prepared).toEqual(['select 0']);
    cached.close();
  });

  it('still works after the schema changed under a cached statement', () => {
    const cached = cacheStatements(new BetterSqlite3(':memory:'));
    cached.prepare('create table t (a)').run([]);
    const select = cached.prepare('select * from t');
    expect(select.all([])).toEqual([]);
    cached.prepare('alter table t add column b').run([]);
    cached.prepare('insert into t values (1, 2)').run([]);
    expect(cached.prepare('select * from t').all([])).toEqual([{ a: 1, b: 2 }]);
    cached.close();
  });
});
