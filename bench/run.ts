/**
 * `npm run bench`: every benchmark in one command, bounded in time, against 127.0.0.1 only; writes
 * docs/benchmarks.md with the machine and each figure next to its bar from PRODUCT.md.
 *
 * Options: `npm run bench -- --only node-red,flat-cost` (or BENCH_ONLY=…) runs a subset of
 * latency, critical-path, storm, startup, node-red, flat-cost; `--quick` (or BENCH_QUICK=1) runs
 * smaller loads (a smoke run; figures are then not comparable with the bars);
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) for the PostgreSQL parts;
 * BENCH_OUT writes the document somewhere else than docs/benchmarks.md; BENCH_REBUILD=0 uses dist/
 * as it is even when src/ is newer (otherwise the start-up benchmark runs `npm run build` first).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT, missingExamplePlaybooks } from './bench-sidekick.js';
import { describeMachine } from './machine.js';
import { renderReport, skippedSection, type Section } from './report.js';
import { killStartedChildren } from './child-registry.js';
import { benchFirstMessageLatency } from './latency-bench.js';
import { benchCriticalPath } from './critical-path-bench.js';
import { benchAlertStorm } from './storm-bench.js';
import { benchStartup } from './startup-bench.js';
import { benchNodeRed } from './node-red-bench.js';
import { benchFlatCost, QUICK_BACKLOG } from './flat-cost-bench.js';
import { FULL_BACKLOG } from './seed-backlog.js';

/** The whole run must finish in under 15 minutes on 2 cores; each benchmark gets a share. */
const TOTAL_BUDGET_MS = 15 * 60_000;

interface Benchmark {
  id: string;
  title: string;
  budgetMs: number;
  run(): Promise<Section>;
}

const argv = process.argv.slice(2);
const quick = process.env.BENCH_QUICK === '1' || argv.includes('--quick');
/** `--only a,b` or `--only=a,b`, else BENCH_ONLY. */
function onlyOption(): string[] | undefined {
  const at = argv.findIndex((arg) => arg === '--only' || arg.startsWith('--only='));
  const value = at < 0 ? process.env.BENCH_ONLY : argv[at]!.includes('=') ? argv[at]!.slice('--only='.length) : argv[at + 1];
  return value
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const benchmarks: Benchmark[] = [
  {
    id: 'latency',
    title: '1. Alert webhook → first chat message',
    budgetMs: 90_000,
    run: () =>
      benchFirstMessageLatency(
        quick
          ? { perSecond: 100, warmup: 50, measured: 200, referencePerSecond: 10, referenceCount: 30, profiled: 100 }
          : { perSecond: 100, warmup: 300, measured: 1500, referencePerSecond: 10, referenceCount: 100, profiled: 500 },
      ),
  },
  {
    id: 'critical-path',
    title: '2. The story’s critical path with 200 ms fakes',
    budgetMs: 60_000,
    run: () => benchCriticalPath({ delayMs: 200, repetitions: quick ? 2 : 5 }),
  },
  {
    id: 'storm',
    title: '3. Alert storm',
    budgetMs: 260_000,
    run: () =>
      benchAlertStorm({
        alerts: quick ? 2_000 : 20_000,
        keys: 200,
        connections: 64,
        databaseUrl,
        sendBudgetMs: quick ? 15_000 : 40_000,
        drainTimeoutMs: quick ? 10_000 : 15_000,
        profileBudgetMs: quick ? 8_000 : 12_000,
      }),
  },
  {
    id: 'startup',
    title: '4. Start-to-ready time and idle memory',
    budgetMs: 240_000,
    run: () => benchStartup({ runs: quick ? 2 : 5, idleMs: 5_000 }),
  },
  {
    id: 'node-red',
    title: '5. Webhook → template → Slack post, side by side with Node-RED',
    budgetMs: 300_000,
    run: () => benchNodeRed({ perSecond: 20, count: quick ? 100 : 300, burst: quick ? 500 : 2000, connections: 64, burstBudgetMs: 30_000 }),
  },
  {
    id: 'flat-cost',
    title: '6. Flat cost with a backlog in the database',
    budgetMs: 300_000,
    run: () => benchFlatCost({ backlog: quick ? QUICK_BACKLOG : FULL_BACKLOG, burst: quick ? 500 : 1000, connections: 64, perSecond: 100, count: quick ? 200 : 500 }),
  },
];

async function main(): Promise<void> {
  const began = performance.now();
  const only = onlyOption();
  const unknown = only?.filter((id) => !benchmarks.some((benchmark) => benchmark.id === id)) ?? [];
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${benchmarks.map((b) => b.id).join(', ')}`);
  const machine = describeMachine(REPO_ROOT);
  const sections: Section[] = [];
  for (const benchmark of benchmarks) {
    if (only && !only.includes(benchmark.id)) continue;
    const left = TOTAL_BUDGET_MS - (performance.now() - began);
    if (left < 10_000) {
      sections.push(skippedSection(benchmark.title, '', 'the run’s 15-minute budget was used up before it could start', 'failed'));
      continue;
    }
    const budget = Math.min(benchmark.budgetMs, left);
    process.stdout.write(`▶ ${benchmark.title} (at most ${Math.round(budget / 1000)} s)\n`);
    const section = await withBudget(benchmark, budget);
    sections.push(section);
    process.stdout.write(`  ${section.status}: ${section.figures.map((figure) => `${figure.name} = ${figure.value}`).join('; ') || section.details[0]}\n`);
  }
  const notes = [
    ...(quick ? ['**Quick run (BENCH_QUICK=1): loads are smaller than the bars assume; do not compare these figures with them.**'] : []),
    ...(missingExamplePlaybooks().length
      ? [
          `The bundled example playbooks ${missingExamplePlaybooks().join(', ')} were missing at this commit; the benchmark used its stand-ins from bench/fixtures/playbooks so that the example flows load.`,
        ]
      : []),
    `The whole run took ${((performance.now() - began) / 1000).toFixed(0)} s. Load average (1, 5, 15 min) at the start: ${machine.loadAverage}; at the end: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')} — on ${machine.cores} cores, so other work on the machine shared the CPU with every figure here.`,
  ];
  const out = process.env.BENCH_OUT ?? join(REPO_ROOT, 'docs/benchmarks.md');
  // The before/after record of each optimisation is kept by hand (each pair measured back to back
  // on one machine); it is carried into every regenerated document.
  const changes = join(REPO_ROOT, 'bench/changes.md');
  const report = renderReport(machine, sections, notes);
  writeFileSync(out, existsSync(changes) ? `${report}\n${readFileSync(changes, 'utf8').trimEnd()}\n` : report);
  process.stdout.write(`Wrote ${out}\n`);
}

/** Runs one benchmark; past its budget it is reported as failed and its child processes are stopped. */
async function withBudget(benchmark: Benchmark, budgetMs: number): Promise<Section> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Section>((resolve) => {
    timer = setTimeout(() => {
      killStartedChildren();
      resolve(skippedSection(benchmark.title, '', `did not finish within its ${Math.round(budgetMs / 1000)} s budget`, 'failed'));
    }, budgetMs);
  });
  try {
    return await Promise.race([benchmark.run().catch((error: Error) => skippedSection(benchmark.title, '', `it stopped with an error: ${error.message.slice(0, 600)}`, 'failed')), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

process.on('SIGINT', () => {
  killStartedChildren();
  process.exit(130);
});

main()
  .then(() => {
    killStartedChildren();
    // Keep-alive sockets and pools of benchmarks that timed out must not keep the process up.
    process.exit(0);
  })
  .catch((error: Error) => {
    killStartedChildren();
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  });
