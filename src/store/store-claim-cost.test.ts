import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachStore } from './testing/describe-each-store.js';
import type { QueryContext } from './query-context.js';
import { claimJobs, dueWindow } from './queries/claim-jobs.js';

const BACKLOG = 5_000;
const BUDGET = 16 * 4 + 64;

/** Seeds `count` due jobs, each in its own queue (as task jobs are), in one statement. */
async function seed(ctx: QueryContext, count: number, runAt: number): Promise<void> {
  await sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})
    insert into jobs (kind, payload, queue, run_at) select 'task', '{}', 'task:' || i, ${runAt} from n`.execute(ctx.db);
}

await describeEachStore('claim-cost', ({ store, target }) => {
  it(`claims from ${BACKLOG} queued jobs by reading a window of due jobs through an index, not every queue`, async () => {
    const ctx = store() as unknown as QueryContext;
    const now = Date.now();
    await seed(ctx, BACKLOG, now - 1000);
    const window = dueWindow(now, BUDGET);
    if (target.name.startsWith('sqlite')) {
      const plan = (await sql<{ detail: string }>`explain query plan ${window}`.execute(ctx.db)).rows.map((row) => row.detail);
      // The outer read is a search of jobs_due in order (no scan, no sort); the head checks are index seeks.
      expect(plan.some((line) => /SEARCH d USING INDEX jobs_due/.test(line))).toBe(true);
      expect(plan.filter((line) => /^SCAN /.test(line) || /TEMP B-TREE/.test(line))).toEqual([]);
    } else {
      await sql`analyze jobs`.execute(ctx.db);
      const [row] = (await sql<{ 'QUERY PLAN': unknown }>`explain (analyze, format json) ${window}`.execute(ctx.db)).rows;
      const nodes: Record<string, unknown>[] = [];
      const walk = (node: Record<string, unknown>) => {
        nodes.push(node);
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
      };
      walk((row!['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0]!.Plan);
      const scans = nodes.filter((node) => node['Relation Name'] === 'jobs' && node['Alias'] === 'd');
      expect(scans.map((node) => node['Index Name'])).toEqual(['jobs_due']);
      // Rows read from the outer table: the window, not the backlog.
      expect(Number(scans[0]!['Actual Rows'])).toBeLessThanOrEqual(BUDGET);
    }
    // And the claim itself hands out the oldest due heads.
    const claimed = await store().claimJobs('owner', 16, new Date(now).toISOString(), new Date(now + 30_000).toISOString());
    expect(claimed.map((job) => job.queue)).toEqual(Array.from({ length: 16 }, (_, i) => `task:${i + 1}`));
  });

  it('runs the same SQL text whatever the number of jobs it leases (built once, the ids one parameter)', async () => {
    const ctx = store() as unknown as QueryContext;
    const texts: string[] = [];
    const db = new Proxy(ctx.db, {
      get(target, property) {
        if (property === 'executeQuery') {
          return (query: { sql: string }) => {
            texts.push(query.sql);
            return target.executeQuery(query as never);
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const counting = { ...ctx, db } as QueryContext;
    const now = Date.now();
    const claimed: number[] = [];
    const statements: string[][] = [];
    for (const [count, runAt] of [
      [3, now - 2000],
      [7, now - 1000],
    ] as const) {
      // Each round on its own queues: the first round's jobs stay leased.
      await sql`delete from jobs`.execute(ctx.db);
      await seed(ctx, count, runAt);
      texts.length = 0;
      claimed.push((await claimJobs(counting, 'owner', 16, new Date(now).toISOString(), new Date(now + 30_000).toISOString())).length);
      statements.push([...texts]);
    }
    expect(claimed).toEqual([3, 7]);
    expect(statements[0]).toHaveLength(2);
    expect(statements[1]).toEqual(statements[0]);
  });
});
