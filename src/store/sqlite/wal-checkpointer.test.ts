import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startWalCheckpointer } from './wal-checkpointer.js';

describe('startWalCheckpointer', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('copies the WAL into the database file from its own thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-wal-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('create table t (id integer primary key, v text)');
    const insert = db.prepare('insert into t (v) values (?)');
    for (let i = 0; i < 1000; i++) insert.run('x'.repeat(2000));
    // Nothing has been copied into the database file yet: every page is still in the WAL.
    expect(statSync(file).size).toBeLessThan(100_000);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
    const errors: string[] = [];
    const checkpointer = startWalCheckpointer(file, { everyMs: 20, onError: (message) => errors.push(message) });
    try {
      const deadline = Date.now() + 10_000;
      while (statSync(file).size < 1_000_000) {
        if (Date.now() > deadline) throw new Error('the thread did not checkpoint the WAL into the database file');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 1000 });
    } finally {
      await checkpointer.stop();
      db.close();
    }
    expect(errors).toEqual([]);
  });
});
