import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { shortenSql, timeSqliteStatements } from './sql-timing.js';

describe('timeSqliteStatements', () => {
  it('counts and times statements by SQL text, and restores the methods on stop', () => {
    const db = new Database(':memory:');
    db.exec('create table t (x integer)');
    const timing = timeSqliteStatements();
    const insert = db.prepare('insert into t (x) values (?)');
    for (let i = 0; i < 5; i++) insert.run(i);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 5 });
    const timings = timing.stop();
    expect(timings.find((entry) => entry.sql.startsWith('insert'))?.calls).toBe(5);
    expect(timings.find((entry) => entry.sql.startsWith('select'))?.calls).toBe(1);
    // After stop, nothing more is counted.
    insert.run(6);
    expect(timings.find((entry) => entry.sql.startsWith('insert'))?.calls).toBe(5);
    db.close();
  });

  it('still counts a statement that throws, and lets the error through', () => {
    const db = new Database(':memory:');
    db.exec('create table u (x integer not null)');
    const timing = timeSqliteStatements();
    expect(() => db.prepare('insert into u (x) values (null)').run()).toThrow(/NOT NULL/);
    expect(timing.stop()[0]).toMatchObject({ calls: 1 });
    db.close();
  });
});

describe('shortenSql', () => {
  it('folds whitespace and long placeholder lists, and cuts long statements', () => {
    expect(shortenSql('select *\n  from   jobs')).toBe('select * from jobs');
    expect(shortenSql('insert into a values (?, ?, ?, ?, ?), (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)')).toBe('insert into a values (?, …), …');
    const long = `select ${'a, '.repeat(100)}b from jobs where id in (select id from picked) returning id, kind`;
    const short = shortenSql(long, 60);
    expect(short).toHaveLength(60);
    expect(short.startsWith('select a, a,')).toBe(true);
    expect(short.endsWith('returning id, kind')).toBe(true);
  });
});
