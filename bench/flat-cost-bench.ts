import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOOP_DELAY_BAR } from './event-loop-delay.js';
import { sendAtRate } from './load-generator.js';
import { burst, genericAlert, sidekickTarget } from './node-red-bench.js';
import { figureAgainst, info, type Figure, type Section } from './report.js';
import { seededCopy, type BacklogSize } from './seed-backlog.js';
import { startSlackSink } from './slack-sink.js';
import { formatCount, formatMs, summarise } from './stats.js';

/** A smaller backlog for `--quick`. */
export const QUICK_BACKLOG: BacklogSize = { openIncidents: 1_000, queuedJobs: 10_000, storedAlerts: 100_000 };

export interface FlatCostOptions {
  backlog: BacklogSize;
  /** Alerts in the throughput burst. */
  burst: number;
  connections: number;
  /** The latency phase: `count` alerts at `perSecond`. */
  perSecond: number;
  count: number;
}

/** The mean of two runs on one database; the event-loop delay is the worse of the two. */
function combine(label: string, pair: DatabaseRun[]): DatabaseRun {
  const mean = (pick: (run: DatabaseRun) => number) => pair.reduce((sum, run) => sum + pick(run), 0) / pair.length;
  return {
    label,
    p50: mean((run) => run.p50),
    p99: mean((run) => run.p99),
    postsPerSecond: mean((run) => run.postsPerSecond),
    ackP99: mean((run) => run.ackP99),
    loopP99: Math.max(...pair.map((run) => run.loopP99)),
    cpuMsPerAlert: mean((run) => run.cpuMsPerAlert),
  };
}

interface DatabaseRun {
  label: string;
  p50: number;
  p99: number;
  postsPerSecond: number;
  ackP99: number;
  loopP99: number;
  cpuMsPerAlert: number;
}

const BAR = { atMost: 1.25, text: '≤ 1.25× the empty database' };

/**
 * Benchmark 6: the job of benchmark 5 (webhook → own incident → Slack post to its own channel) on
 * an empty database and on one that already holds a long-lived installation's backlog; the
 * per-alert latency and the throughput must stay within 1.25× of the empty database's.
 */
export async function benchFlatCost(options: FlatCostOptions): Promise<Section> {
  const started = performance.now();
  let seedNote = '';
  const seed = async (dataDir: string) => {
    const seeded = await seededCopy(dataDir, options.backlog);
    seedNote = `Seeding took ${seeded.seedSeconds.toFixed(1)} s (bulk multi-row inserts in a few transactions, bench/seed-backlog.ts; each backlog run gets a copy of that file); the database file is ${formatCount(seeded.bytes / 1024 / 1024)} MiB.`;
  };
  // Empty, backlog, backlog, empty: a drift in the machine's load over the minutes this takes falls
  // on both databases alike, instead of on whichever half ran second.
  const runs: DatabaseRun[] = [];
  runs.push(await measure('empty database, 1st', options, undefined));
  runs.push(await measure('with the backlog, 1st', options, seed));
  runs.push(await measure('with the backlog, 2nd', options, seed));
  runs.push(await measure('empty database, 2nd', options, undefined));
  const empty = combine('empty database (mean of both)', [runs[0]!, runs[3]!]);
  const full = combine('with the backlog (mean of both)', [runs[1]!, runs[2]!]);
  const ratio = (a: number, b: number) => a / b;
  const figures: Figure[] = [
    figureAgainst('p50 latency, backlog ÷ empty', ratio(full.p50, empty.p50), BAR, (v) => `${v.toFixed(2)}×`),
    figureAgainst('p99 latency, backlog ÷ empty', ratio(full.p99, empty.p99), BAR, (v) => `${v.toFixed(2)}×`),
    figureAgainst('posts/s, empty ÷ backlog', ratio(empty.postsPerSecond, full.postsPerSecond), BAR, (v) => `${v.toFixed(2)}×`),
    figureAgainst('CPU per alert, backlog ÷ empty', ratio(full.cpuMsPerAlert, empty.cpuMsPerAlert), BAR, (v) => `${v.toFixed(2)}×`),
    figureAgainst('event-loop delay p99, with the backlog', full.loopP99, LOOP_DELAY_BAR, formatMs),
    info('event-loop delay p99, empty', formatMs(empty.loopP99)),
  ];
  const table = [
    `| database | p50 at ${options.perSecond}/s | p99 | posts/s (burst) | ack p99 | event-loop delay p99 | CPU per alert |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[...runs, empty, full].map(
      (r) => `| ${r.label} | ${formatMs(r.p50)} | ${formatMs(r.p99)} | ${formatCount(r.postsPerSecond)} | ${formatMs(r.ackP99)} | ${formatMs(r.loopP99)} | ${formatMs(r.cpuMsPerAlert)} |`,
    ),
  ].join('\n');
  const { openIncidents, queuedJobs, storedAlerts } = options.backlog;
  return {
    title: '6. Flat cost with a backlog in the database',
    method:
      `The job of benchmark 5 on Sidekick alone, on an empty SQLite file and on one holding ${formatCount(openIncidents)} open incidents, ${formatCount(queuedJobs)} queued jobs and ${formatCount(storedAlerts)} stored alerts, each twice, in the order empty, backlog, backlog, empty, so that a drift in the machine's load falls on both alike; each figure is the mean of a database's two runs (the event-loop delay: the worse of the two). ` +
      'The queued jobs are flow timers due in six hours, ten per incident in queues of their own (work that is due would be worked off during the run and measure draining, not carrying); the alerts belong to the open incidents. ' +
      `Latency: ${formatCount(options.count)} alerts at ${options.perSecond}/s, request sent → post stored by the Slack fake. Throughput: ${formatCount(options.burst)} alerts over ${options.connections} connections. CPU per alert is the Sidekick process's CPU time over the burst, the figure least moved by other work on the machine.`,
    status: 'ran',
    figures,
    details: [table, seedNote],
    analysis: [
      `CPU per alert, the least load-sensitive figure, is ${(full.cpuMsPerAlert / empty.cpuMsPerAlert).toFixed(2)}× the empty database's. The claim reads a window of due jobs through \`jobs_due\` and the seeded timers are not due, so they cost the claim nothing; grouping looks up open incidents by \`group_key\` through an index; alerts are inserted, never scanned.`,
      `Latency at ${options.perSecond}/s needs ${formatMs(full.cpuMsPerAlert * options.perSecond)} of CPU per second; when the process gets less than that on a loaded machine, the alerts queue and the latencies (p50 ${formatMs(empty.p50)} empty, ${formatMs(full.p50)} with the backlog) measure the queue more than the backlog.`,
      ...(Math.max(full.p50 / empty.p50, full.p99 / empty.p99, empty.postsPerSecond / full.postsPerSecond, full.cpuMsPerAlert / empty.cpuMsPerAlert) > BAR.atMost
        ? [verdictOnRatio([runs[0]!, runs[3]!], [runs[1]!, runs[2]!])]
        : []),
      ...(full.loopP99 > LOOP_DELAY_BAR.atMost
        ? [
            full.loopP99 <= empty.loopP99 * 1.25
              ? `Event-loop delay p99 ${formatMs(full.loopP99)} with the backlog against ${formatMs(empty.loopP99)} empty: the backlog adds little or nothing; what bounds it is the burst, as in benchmark 5 (what is next is there).`
              : `Event-loop delay p99 ${formatMs(full.loopP99)} with the backlog against ${formatMs(empty.loopP99)} empty: the backlog adds to it. Next: profile the burst on the seeded database and name the long task.`,
          ]
        : []),
    ],
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Why a ratio is above the bar, read off the four runs: when every backlog run cost more CPU per
 * alert than every empty run, the backlog costs it; when they overlap, the machine's load moved it.
 */
function verdictOnRatio([empty1, empty2]: DatabaseRun[], [full1, full2]: DatabaseRun[]): string {
  const cpu = (run: DatabaseRun) => formatMs(run.cpuMsPerAlert);
  const perRun = `CPU per alert: empty ${cpu(empty1)} and ${cpu(empty2)}, with the backlog ${cpu(full1)} and ${cpu(full2)}`;
  if (Math.min(full1.cpuMsPerAlert, full2.cpuMsPerAlert) > Math.max(empty1.cpuMsPerAlert, empty2.cpuMsPerAlert)) {
    return `A ratio is above ${BAR.atMost}× and both backlog runs cost more than both empty runs (${perRun}): the backlog costs it. Next: profile the burst on the seeded database and name the statement that grows.`;
  }
  return `A ratio is above ${BAR.atMost}×, but the runs overlap (${perRun}): a database's own two runs differ as much as the databases do, so the machine's load moved the figure, not the backlog. Next: more rounds, on a machine without other work.`;
}

async function measure(label: string, options: FlatCostOptions, seed: ((dataDir: string) => Promise<void>) | undefined): Promise<DatabaseRun> {
  process.stdout.write(`  · ${label}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-flat-'));
  const slack = await startSlackSink(options.count + options.burst);
  try {
    await seed?.(join(dir, 'data'));
    const target = await sidekickTarget(slack, { dir });
    try {
      const rate = await sendAtRate({ target: target.url, path: '/webhooks/generic', count: options.count, perSecond: options.perSecond, body: (i) => genericAlert(i) });
      for (let i = 0; i < 750 && slack.arrivals.size < options.count; i++) await sleep(20);
      const latency = summarise(rate.sent.map((sent, i) => (slack.arrivals.get(i) ?? Number.NaN) - sent.at));
      const result = await burst(target, slack, { perSecond: options.perSecond, count: options.count, burst: options.burst, connections: options.connections, burstBudgetMs: 30_000 }, options.count);
      return { label, p50: latency.p50, p99: latency.p99, postsPerSecond: result.postsPerSecond, ackP99: result.ackP99, loopP99: result.loop.p99Ms, cpuMsPerAlert: result.cpuMsPerAlert };
    } finally {
      await target.close();
    }
  } finally {
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
