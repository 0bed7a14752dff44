import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { startInstance, stopInstance, type Instance } from './fault-kit.js';

const BACKLOG = 20_000;

/**
 * A restart with a big backlog: 20,000 jobs queued (each in its own queue, as task jobs are), then
 * `sidekick start`. The server listens before the worker starts and the worker yields between
 * claims, so /healthz answers throughout the draining. Responsiveness is asserted with a generous
 * 1 s timeout per request, never with fine wall-clock numbers.
 */
describe('starting with 20,000 queued jobs (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-backlog-'));
  let instance: Instance | undefined;
  afterAll(async () => {
    if (instance) await stopInstance(instance, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready, and answers /healthz within 1 s every time, while it drains the backlog', async () => {
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'flows'));
    const configPath = join(dir, 'sidekick.yaml');
    writeFileSync(configPath, ['dataDir: ./data', 'flows: { dirs: [./flows], examples: false }', 'playbooks: { dirs: [], examples: false }', 'worker: { pollMs: 50 }'].join('\n'));
    const file = join(dir, 'data', 'sidekick.db');
    const store = openSqliteStore({ file });
    await store.migrate();
    await store.close();
    // Seeded in one statement: jobs for tasks that no longer exist, each its own queue.
    const db = new BetterSqlite3(file);
    db.prepare(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
       insert into jobs (kind, payload, queue, run_at) select 'task', json_object('taskId', 'gone-' || i), 'task:gone-' || i, ? from n`,
    ).run(BACKLOG, Date.now() - 1000);
    const left = () => (db.prepare('select count(*) as n from jobs where failed = 0').get() as { n: number }).n;
    expect(left()).toBe(BACKLOG);

    instance = await startInstance(configPath);
    const slow: string[] = [];
    let polls = 0;
    const deadline = Date.now() + 240_000;
    while (left() > 0 && Date.now() < deadline) {
      const started = Date.now();
      try {
        const response = await fetch(`${instance.url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (response.status !== 200) slow.push(`status ${response.status}`);
      } catch (error) {
        slow.push(`${(error as Error).name} after ${Date.now() - started} ms with ${left()} jobs left`);
      }
      polls += 1;
      await new Promise((r) => setTimeout(r, 100));
    }
    const remaining = left();
    db.close();
    expect(remaining).toBe(0);
    expect(slow).toEqual([]);
    expect(polls).toBeGreaterThan(3); // the draining really was watched
    expect((await fetch(`${instance.url}/readyz`, { signal: AbortSignal.timeout(1000) })).status).toBe(200);
  }, 300_000);
});
