import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './bench-sidekick.js';
import { startSlackSink, type SlackSink } from './slack-sink.js';
import { LOOP_DELAY_BAR, type LoopDelay } from './event-loop-delay.js';
import { countStatuses, sendAsFastAsPossible, sendAtRate } from './load-generator.js';
import { SIDEKICK_POST_FLOW } from './node-red-flow.js';
import { figureAgainst, info, renderProfile, renderStatements, type Figure, type Section } from './report.js';
import type { ProfileSummary } from './cpu-profile.js';
import type { StatementTiming } from './sql-timing.js';
import { spawnInstance } from './spawn-instance.js';
import { trackChild } from './child-registry.js';
import { formatCount, formatMs, summarise } from './stats.js';

/**
 * The devDependency that makes the Node-RED half run (as in package.json). 4.x, because Node-RED
 * 5 requires Node.js 22.9 or newer and Sidekick supports Node.js 20.
 */
export const NODE_RED_DEPENDENCY = 'node-red@^4.1.15';

export interface NodeRedOptions {
  /** The latency phase: alerts sent at a steady rate. */
  perSecond: number;
  count: number;
  /** The throughput phase: this many alerts as fast as `connections` allow, twice. */
  burst: number;
  connections: number;
  /** Longest the burst may take to send (a slow system sends fewer; the rate is what counts). */
  burstBudgetMs: number;
}

/** One burst: posts per second, acknowledgement latency, and what it cost the process. */
interface BurstResult {
  sent: number;
  delivered: number;
  postsPerSecond: number;
  ackP99: number;
  statuses: Record<number, number>;
  loop: LoopDelay;
  cpuMsPerAlert: number;
}

interface SystemResult {
  name: string;
  /** What ran, for the report: e.g. "Node-RED 4.1.15". */
  description?: string;
  p50: number;
  p99: number;
  lost: number;
  first: BurstResult;
  /** The same again with the first round's incidents still open. */
  second: BurstResult;
  /** Sidekick only: a third, smaller burst under the CPU profiler. */
  profile?: ProfileSummary;
  statements?: StatementTiming[];
}

export interface Target {
  url: string;
  /** What ran, for the report: e.g. "Node-RED 4.1.15". */
  description?: string;
  ask<T>(type: 'loop-start' | 'loop-stop' | 'cpu' | 'profile-start' | 'profile-stop' | 'sql-start' | 'sql-stop'): Promise<T>;
  close(): Promise<void>;
}

const BAR_RATIO = { atLeast: 1, text: '≥ 1.0× Node-RED posts/s' };
const BAR_ACK = { atMost: 50, text: 'p99 ≤ 50 ms at 64 connections' };

/**
 * Benchmark 5: the same job — webhook in, template, chat.postMessage to the Slack fake, each
 * alert to its own channel (the fake's rate limit off) — on Sidekick (generic webhook, a one-box
 * flow, the Slack adapter) and on Node-RED (http in → template → http request), each in its own
 * process. Latency is end to end (request sent → message stored by the fake); throughput is two
 * bursts, the second with the first's incidents still open.
 */
export async function benchNodeRed(options: NodeRedOptions): Promise<Section> {
  const started = performance.now();
  const results: SystemResult[] = [];
  const notes: string[] = [];
  results.push(await measureSystem('Sidekick', options, (slack) => sidekickTarget(slack)));
  if (isInstalled('node-red')) {
    try {
      results.push(await measureSystem('Node-RED', options, (slack) => nodeRedTarget(slack)));
    } catch (error) {
      notes.push(`**The Node-RED half failed:** ${(error as Error).message.slice(0, 600)}`);
    }
  } else {
    notes.push(`⚠️ **Node-RED half skipped:** \`node-red\` is not installed in this tree (\`npm install --save-dev ${NODE_RED_DEPENDENCY}\`).`);
  }
  const [sidekick, nodeRed] = results as [SystemResult, SystemResult | undefined];
  if (nodeRed) {
    notes.unshift(
      `${nodeRed.description ?? 'Node-RED'} ran embedded (RED.init / RED.start) in its own process with its editor and admin API off, serving only the flow http in → template → http request (keep-alive, bot token header) and a 202 answer; Sidekick ran on its defaults (SQLite file store, Slack adapter with its own per-channel pacing, logs at info to a file) with one flow, alert → post to \`#bench-<n>\`, instead of the example flows.`,
    );
  }
  const figures: Figure[] = [
    info('Sidekick, p50 send → message in Slack', formatMs(sidekick.p50)),
    info('Sidekick, p99', formatMs(sidekick.p99)),
    info('Sidekick, posts/s', `${formatCount(sidekick.first.postsPerSecond)}/s`),
    figureAgainst('Sidekick, webhook ack p99 (burst)', sidekick.first.ackP99, BAR_ACK, formatMs),
    figureAgainst('Sidekick, event-loop delay p99 (burst)', sidekick.first.loop.p99Ms, LOOP_DELAY_BAR, formatMs),
    info('Sidekick, CPU per alert (burst)', formatMs(sidekick.first.cpuMsPerAlert)),
    info('Sidekick, second round ÷ first (posts/s)', (sidekick.second.postsPerSecond / sidekick.first.postsPerSecond).toFixed(2)),
  ];
  if (nodeRed) {
    figures.push(
      info('Node-RED, posts/s', `${formatCount(nodeRed.first.postsPerSecond)}/s`),
      info('Node-RED, webhook ack p99 (burst)', formatMs(nodeRed.first.ackP99)),
      info('Node-RED, CPU per alert (burst)', formatMs(nodeRed.first.cpuMsPerAlert)),
      figureAgainst('posts/s, Sidekick ÷ Node-RED', sidekick.first.postsPerSecond / nodeRed.first.postsPerSecond, BAR_RATIO, (value) => `${value.toFixed(2)}×`),
    );
  }
  const row = (r: SystemResult, round: 'first' | 'second') => {
    const b = r[round];
    return `| ${r.name} | ${round} | ${formatCount(b.sent)} | ${formatCount(b.delivered)} | ${formatCount(b.postsPerSecond)} | ${formatMs(b.ackP99)} | ${formatMs(b.loop.p99Ms)} | ${formatMs(b.cpuMsPerAlert)} | ${JSON.stringify(b.statuses)} |`;
  };
  const table = [
    `| system | p50 at ${options.perSecond}/s | p99 | not arrived within 15 s |`,
    '| --- | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.name} | ${formatMs(r.p50)} | ${formatMs(r.p99)} | ${r.lost} |`),
    '',
    '| system | burst | sent | delivered | posts/s | ack p99 | event-loop delay p99 | CPU per alert | HTTP answers |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.flatMap((r) => [row(r, 'first'), row(r, 'second')]),
  ].join('\n');
  return {
    title: '5. Webhook → template → Slack post, side by side with Node-RED',
    method:
      'Each system runs in a process of its own and posts every message with chat.postMessage to the same Slack fake (test/fakes/slack, in the benchmark\u2019s process, its rate limit off), each alert to a channel of its own (`#bench-<n>`), so Slack\u2019s per-channel pacing never binds. ' +
      `Latency: ${options.count} webhooks at ${options.perSecond}/s, from the request sent to the fake storing the message. Throughput: ${formatCount(options.burst)} webhooks over ${options.connections} keep-alive connections as fast as they go, posts per second from the first send until the last post arrived; then ${formatCount(options.burst)} more with the first round\u2019s incidents still open. ` +
      'Event-loop delay and CPU are each system\u2019s own process during the first burst. The jobs are the same on the wire but not in guarantees: Sidekick answers 202 only after the alert is committed to SQLite, opens an incident, and runs the post as a durable, idempotent box (retried, never doubled, survives kill -9); the Node-RED flow answers 202 at once and keeps everything in memory.',
    status: 'ran',
    figures,
    details: [
      table,
      ...notes,
      ...(sidekick.profile
        ? [
            renderProfile(
              `Sidekick during a third burst of ${Math.min(500, options.burst)} alerts under the CPU profiler (${formatMs(sidekick.profile.busyMs / Math.min(500, options.burst))} of CPU per alert)`,
              sidekick.profile,
            ),
          ]
        : []),
      ...(sidekick.statements?.length ? [renderStatements(sidekick.statements, Math.min(500, options.burst), 'SQLite statements during the profiled burst, per alert')] : []),
    ],
    analysis: analyse(sidekick, nodeRed, options),
    seconds: (performance.now() - started) / 1000,
  };
}

/** What bounds Sidekick's figures, from the run's own numbers and profile. */
function analyse(sidekick: SystemResult, nodeRed: SystemResult | undefined, options: NodeRedOptions): string[] {
  const lines: string[] = [];
  const sqliteMs = (sidekick.statements ?? []).reduce((sum, entry) => sum + entry.ms, 0) / Math.min(500, options.burst);
  const calls = (sidekick.statements ?? []).reduce((sum, entry) => sum + entry.calls, 0) / Math.min(500, options.burst);
  const commits = (sidekick.statements ?? []).filter((entry) => entry.sql === 'commit').reduce((sum, entry) => sum + entry.calls, 0) / Math.min(500, options.burst);
  const share = (part: string) => ((sidekick.profile?.byPart.find((one) => one.part === part)?.share ?? 0) * 100).toFixed(0);
  if (nodeRed) {
    const ratio = sidekick.first.postsPerSecond / nodeRed.first.postsPerSecond;
    lines.push(
      `${ratio >= 1 ? 'Met' : 'Missed'}: ${ratio.toFixed(2)}× Node-RED's posts/s. On two shared cores throughput follows CPU per alert: Sidekick ${formatMs(sidekick.first.cpuMsPerAlert)}, Node-RED ${formatMs(nodeRed.first.cpuMsPerAlert)} (process CPU time over the burst, the figure least moved by the machine's load).`,
    );
  }
  lines.push(
    `Where Sidekick's CPU goes (profiled burst): ${calls.toFixed(1)} SQL statements and ${commits.toFixed(1)} transactions per alert, ${formatMs(sqliteMs)} inside SQLite; by part: SQLite calls (native run/all) ${share('native: run')} % + ${share('native: all')} %, Kysely ${share('kysely')} %, axios and the Slack SDK ${share('axios')} % + ${share('@slack/web-api')} %. Each alert is stored in the intake's group commit; its incident, timeline line, run, first task and task job in one commit; the post records its intent and result around the Slack call; the task's finish is one more commit.`,
    `Next: the post's intent and result and its timeline line in the task's finish commit (the chat adapter would take the transaction), several claimed alert jobs applied in one commit, and the Slack SDK's per-call cost (it builds its debug log text for every call, whatever the log level). The hot statements are compiled once already (\`src/store/compile-once.ts\`); what is left in SQLite is the statements themselves.`,
  );
  if (!(sidekick.first.ackP99 <= 50) || sidekick.first.loop.p99Ms > LOOP_DELAY_BAR.atMost) {
    lines.push(
      `Webhook ack p99 ${formatMs(sidekick.first.ackP99)} (bar 50 ms): the 202 waits for the alert's group commit, and the worker's synchronous SQLite calls share the one event loop with it (event-loop delay p99 ${formatMs(sidekick.first.loop.p99Ms)}; Node-RED's was ${nodeRed ? formatMs(nodeRed.first.loop.p99Ms) : 'not measured'} with no database at all). On a machine this loaded a process waits for a core for tens of milliseconds at a time, which both tails include. Next: give the SQLite connection a thread of its own, so the worker's statements run off the event loop and a webhook's turn no longer waits behind them; fewer statements per alert (above) shorten both tails too.`,
    );
  }
  return lines;
}

/** Runs the latency phase and two bursts against one system, with a fresh Slack fake. */
async function measureSystem(name: string, options: NodeRedOptions, start: (slack: SlackSink) => Promise<Target>): Promise<SystemResult> {
  const profiled = name === 'Sidekick' ? Math.min(500, options.burst) : 0;
  const slack = await startSlackSink(options.count + 2 * options.burst + profiled);
  const target = await start(slack).catch(async (error) => {
    await slack.close();
    throw error;
  });
  try {
    process.stdout.write(`  · ${name}\n`);
    const rate = await sendAtRate({ target: target.url, path: '/webhooks/generic', count: options.count, perSecond: options.perSecond, body: (i) => genericAlert(i) });
    await waitForMessages(slack.arrivals, options.count, 15_000);
    const latency = summarise(rate.sent.map((sent, i) => (slack.arrivals.get(i) ?? Number.NaN) - sent.at));
    const first = await burst(target, slack, options, options.count);
    const second = await burst(target, slack, options, options.count + options.burst);
    process.stdout.write(
      `    latency p50 ${formatMs(latency.p50)} p99 ${formatMs(latency.p99)}; posts/s ${formatCount(first.postsPerSecond)} then ${formatCount(second.postsPerSecond)}; ack p99 ${formatMs(first.ackP99)}; loop p99 ${formatMs(first.loop.p99Ms)}; CPU/alert ${formatMs(first.cpuMsPerAlert)}\n`,
    );
    let profile: ProfileSummary | undefined;
    let statements: StatementTiming[] | undefined;
    if (profiled) {
      await target.ask('sql-start');
      await target.ask('profile-start');
      await burst(target, slack, { ...options, burst: profiled }, options.count + 2 * options.burst);
      profile = await target.ask<ProfileSummary>('profile-stop');
      statements = await target.ask<StatementTiming[]>('sql-stop');
    }
    return { name, description: target.description, p50: latency.p50, p99: latency.p99, lost: options.count - latency.count, first, second, profile, statements };
  } finally {
    await target.close();
    await slack.close();
  }
}

/** `options.burst` alerts numbered from `from`, as fast as the connections allow. */
export async function burst(target: Target, slack: SlackSink, options: NodeRedOptions, from: number): Promise<BurstResult> {
  const bodies = Array.from({ length: options.burst }, (_, i) => genericAlert(from + i));
  await target.ask('loop-start');
  const cpuBefore = await target.ask<number>('cpu');
  const sent = await sendAsFastAsPossible({ targets: [target.url], path: '/webhooks/generic', bodies, connections: options.connections, budgetMs: options.burstBudgetMs });
  const inRound = () => [...slack.arrivals.entries()].filter(([seq]) => seq >= from && seq < from + options.burst);
  await waitForCount(() => inRound().length, sent.sent.length, 30_000);
  const cpuAfter = await target.ask<number>('cpu');
  const loop = await target.ask<LoopDelay>('loop-stop');
  const arrived = inRound();
  const lastArrival = Math.max(...arrived.map(([, at]) => at));
  return {
    sent: sent.sent.length,
    delivered: arrived.length,
    postsPerSecond: arrived.length / ((lastArrival - sent.startedAt) / 1000),
    ackP99: summarise(sent.sent.map((one) => one.ms)).p99,
    statuses: countStatuses(sent.sent),
    loop,
    cpuMsPerAlert: (cpuAfter - cpuBefore) / 1000 / Math.max(1, sent.sent.length),
  };
}

async function waitForMessages(arrivals: Map<number, number>, count: number, timeoutMs: number): Promise<void> {
  await waitForCount(() => arrivals.size, count, timeoutMs);
}

async function waitForCount(count: () => number, wanted: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (count() < wanted && performance.now() < deadline) await sleep(20);
}

/** Sidekick on its defaults with the Slack adapter pointed at the fake and the one-box flow. */
export async function sidekickTarget(slack: SlackSink, extra: { dir?: string } = {}): Promise<Target> {
  const yaml = `slack:\n  botToken: ${slack.token}\n  signingSecret: bench-signing-secret\n  apiUrl: ${slack.apiUrl}\n`;
  const instance = await spawnInstance({ yaml, flows: { 'post-alert.yaml': SIDEKICK_POST_FLOW }, ...extra });
  return { url: instance.url, ask: (type) => instance.ask(type as never), close: () => instance.close() };
}

export async function nodeRedTarget(slack: SlackSink): Promise<Target> {
  const userDir = mkdtempSync(join(tmpdir(), 'node-red-bench-'));
  const child = fork(join(REPO_ROOT, 'bench/node-red-instance.ts'), [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH ?? '', HOME: userDir, BENCH_NODE_RED: JSON.stringify({ slackApiUrl: slack.apiUrl, token: slack.token, userDir }) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  trackChild(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' });
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(userDir, { recursive: true, force: true });
  };
  let nextId = 1;
  const ask = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      const listener = (message: { id?: number; result?: unknown }) => {
        if (message.id !== id) return;
        child.off('message', listener);
        resolve(message.result as T);
      };
      child.on('message', listener);
      child.send({ type, id });
    });
  const ready = await new Promise<{ url: string; version?: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Node-RED not ready after 60 s: ${stderr.slice(-500)}`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Node-RED exited (${code}): ${stderr.slice(-800)}`));
    });
    child.on('message', (message: { type?: string; url?: string; version?: string }) => {
      if (message.type === 'ready' && message.url) {
        clearTimeout(timer);
        resolve({ url: message.url, version: message.version });
      }
    });
  }).catch(async (error) => {
    await close();
    throw error;
  });
  return { url: ready.url, description: `Node-RED ${ready.version ?? '(version unknown)'}`, ask, close };
}

/** Whether a package resolves from the repository (without loading it). */
export function isInstalled(name: string): boolean {
  try {
    createRequire(join(REPO_ROOT, 'package.json')).resolve(name);
    return true;
  } catch {
    return false;
  }
}

export function genericAlert(seq: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      key: `compare-${process.pid}-${seq}`,
      title: `Replication lag high on db-${seq % 50}`,
      status: 'firing',
      severity: 'high',
      labels: { host: `db-${seq % 50}.example.com`, seq: String(seq) },
    }),
  );
}
