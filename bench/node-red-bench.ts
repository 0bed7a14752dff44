import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './bench-sidekick.js';
import { startChatSink, type ChatSink } from './chat-sink.js';
import { countStatuses, sendAsFastAsPossible, sendAtRate } from './load-generator.js';
import { SIDEKICK_POST_FLOW } from './node-red-flow.js';
import { info, type Figure, type Section } from './report.js';
import { spawnInstance } from './spawn-instance.js';
import { trackChild } from './child-registry.js';
import { formatCount, formatMs, summarise } from './stats.js';

/**
 * The devDependency that makes the Node-RED half run (as in package.json). 4.x, because Node-RED
 * 5 requires Node.js 22.9 or newer and Sidekick supports Node.js 20.
 */
export const NODE_RED_DEPENDENCY = 'node-red@^4.1.15';

export interface NodeRedOptions {
  perSecond: number;
  count: number;
  burst: number;
  connections: number;
  /** Longest the burst may take to send (a slow system sends fewer; the rate is what counts). */
  burstBudgetMs: number;
}

interface SystemResult {
  name: string;
  /** What ran, for the report: e.g. "Node-RED 4.1.15". */
  description?: string;
  p50: number;
  p99: number;
  lost: number;
  burstPerSecond: number;
  burstStatuses: Record<number, number>;
  burstSent: number;
  burstDelivered: number;
}

export interface Target {
  url: string;
  /** What ran, for the report: e.g. "Node-RED 4.1.15". */
  description?: string;
  close(): Promise<void>;
}

/**
 * Benchmark 5: the same job — webhook in, template, one HTTP POST of the message to a chat
 * endpoint — on Sidekick (generic webhook, a one-box flow, an HTTP chat adapter) and on Node-RED
 * (http in → template → http request), each in its own process, against the same zero-latency
 * chat sink in this process. Latency is end to end: request sent → message at the sink.
 */
export async function benchNodeRed(options: NodeRedOptions): Promise<Section> {
  const started = performance.now();
  const results: SystemResult[] = [];
  results.push(await measureSystem('Sidekick', options, (chatUrl) => sidekickTarget(chatUrl)));
  const nodeRedInstalled = isInstalled('node-red');
  const notes: string[] = [];
  if (nodeRedInstalled) {
    try {
      results.push(await measureSystem('Node-RED', options, (chatUrl) => nodeRedTarget(chatUrl)));
    } catch (error) {
      notes.push(`**The Node-RED half failed:** ${(error as Error).message.slice(0, 600)}`);
    }
  } else {
    notes.push(
      `⚠️ **Node-RED half skipped:** \`node-red\` is not installed in this tree. Add it as a devDependency (\`npm install --save-dev ${NODE_RED_DEPENDENCY}\`) and run \`npm run bench\` again. The Sidekick half ran without it (above).`,
    );
  }
  const [sidekick, nodeRed] = results;
  if (nodeRed) {
    notes.unshift(
      `${nodeRed.description ?? 'Node-RED'} ran embedded (RED.init / RED.start) in its own process with its editor and admin API off, serving only the flow http in → template → http request (keep-alive) and a 202 answer; Sidekick ran on its defaults (SQLite store, logs at info to a file) with one flow, alert → post, instead of the example flows.`,
    );
  }
  const figures: Figure[] = [
    info('Sidekick, p50 send → message at the chat endpoint', formatMs(sidekick!.p50)),
    info('Sidekick, p99', formatMs(sidekick!.p99)),
    info('Sidekick, burst throughput', `${formatCount(sidekick!.burstPerSecond)} messages/s`),
  ];
  if (nodeRed) {
    figures.push(
      info('Node-RED, p50', formatMs(nodeRed.p50)),
      info('Node-RED, p99', formatMs(nodeRed.p99)),
      info('Node-RED, burst throughput', `${formatCount(nodeRed.burstPerSecond)} messages/s`),
      info('ratio p50 latency (Sidekick ÷ Node-RED)', (sidekick!.p50 / nodeRed.p50).toFixed(2)),
      info('ratio throughput (Sidekick ÷ Node-RED)', (sidekick!.burstPerSecond / nodeRed.burstPerSecond).toFixed(2)),
    );
  }
  const table = [
    '| system | p50 | p99 | not arrived within 15 s | burst: sent | burst: delivered | burst: messages/s | burst: HTTP answers |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) => `| ${r.name} | ${formatMs(r.p50)} | ${formatMs(r.p99)} | ${r.lost} | ${formatCount(r.burstSent)} | ${formatCount(r.burstDelivered)} | ${formatCount(r.burstPerSecond)} | ${JSON.stringify(r.burstStatuses)} |`,
    ),
  ].join('\n');
  return {
    title: '5. Webhook → template → post message, side by side with Node-RED',
    method:
      `Each system runs in a process of its own and posts every message as JSON to the same zero-latency HTTP endpoint in the benchmark\u2019s process. ` +
      `Latency: ${options.count} webhooks at ${options.perSecond}/s, from the request sent to the message arriving at the endpoint. Throughput: up to ${formatCount(options.burst)} webhooks (at most ${Math.round(options.burstBudgetMs / 1000)} s of sending) over ${options.connections} connections as fast as they go, messages per second from the first send until the last message arrived (within 15 s of the last send). ` +
      'The jobs are the same on the wire but not in guarantees: Sidekick answers 202 only after the alert is committed to SQLite, opens an incident, and runs the post as a durable, idempotent box (retried, never doubled, survives kill -9); the Node-RED flow answers 202 at once and keeps everything in memory.',
    status: 'ran',
    figures,
    details: [table, ...notes],
    analysis: [],
    seconds: (performance.now() - started) / 1000,
  };
}

/** Runs the latency and burst phases against one system, with a fresh sink. */
async function measureSystem(name: string, options: NodeRedOptions, start: (chatUrl: string) => Promise<Target>): Promise<SystemResult> {
  const sink = await startChatSink();
  const target = await start(sink.url).catch(async (error) => {
    await sink.close();
    throw error;
  });
  try {
    const rate = await sendAtRate({ target: target.url, path: '/webhooks/generic', count: options.count, perSecond: options.perSecond, body: (i) => genericAlert(i) });
    await waitForMessages(sink, options.count, 15_000);
    const latencies = rate.sent.map((sent, i) => (sink.arrivals.get(i) ?? Number.NaN) - sent.at);
    const latency = summarise(latencies);
    const from = options.count;
    const bodies = Array.from({ length: options.burst }, (_, i) => genericAlert(from + i));
    const burst = await sendAsFastAsPossible({ targets: [target.url], path: '/webhooks/generic', bodies, connections: options.connections, budgetMs: options.burstBudgetMs });
    await waitForMessages(sink, options.count + burst.sent.length, 15_000);
    const lastArrival = Math.max(...[...sink.arrivals.entries()].filter(([seq]) => seq >= from).map(([, at]) => at));
    const delivered = [...sink.arrivals.keys()].filter((seq) => seq >= from).length;
    return {
      name,
      description: target.description,
      p50: latency.p50,
      p99: latency.p99,
      lost: options.count - latency.count,
      burstPerSecond: delivered / ((lastArrival - burst.startedAt) / 1000),
      burstSent: burst.sent.length,
      burstDelivered: delivered,
      burstStatuses: countStatuses(burst.sent),
    };
  } finally {
    await target.close();
    await sink.close();
  }
}

async function waitForMessages(sink: ChatSink, count: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (sink.arrivals.size < count && performance.now() < deadline) await sleep(20);
}

export async function sidekickTarget(chatUrl: string): Promise<Target> {
  const instance = await spawnInstance({ chatUrl, flows: { 'post-alert.yaml': SIDEKICK_POST_FLOW } });
  return { url: instance.url, close: () => instance.close() };
}

export async function nodeRedTarget(chatUrl: string): Promise<Target> {
  const userDir = mkdtempSync(join(tmpdir(), 'node-red-bench-'));
  const child = fork(join(REPO_ROOT, 'bench/node-red-instance.ts'), [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH ?? '', HOME: userDir, BENCH_NODE_RED: JSON.stringify({ chatUrl, userDir }) },
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
  return { url: ready.url, description: `Node-RED ${ready.version ?? '(version unknown)'}`, close };
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
