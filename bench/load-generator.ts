import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { trackChild } from './child-registry.js';

/** One request's outcome as the sender saw it. */
export interface Sent {
  status: number;
  /** From handing the request to the socket until the whole answer was read. */
  ms: number;
  /** performance.now() when it was sent. */
  at: number;
}

/** What a load run produced. */
export interface LoadResult {
  sent: Sent[];
  startedAt: number;
  endedAt: number;
  /** Requests that failed without an HTTP answer (refused, reset), by message. */
  errors: Map<string, number>;
}

/** One POST of a prepared body over a keep-alive agent; never throws (an error is status 0). */
export function postBody(agent: Agent, base: string, path: string, body: Buffer, headers: Record<string, string> = {}): Promise<Sent & { error?: string }> {
  const url = new URL(path, base);
  const at = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers },
      },
      (res) => {
        // The body must be read for the socket to go back to the pool.
        res.on('data', () => undefined);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - at, at }));
        res.on('error', (error) => resolve({ status: 0, ms: performance.now() - at, at, error: error.message }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, ms: performance.now() - at, at, error: error.message }));
    req.end(body);
  });
}

/**
 * Sends every body as fast as `connections` keep-alive connections allow, spread over the targets
 * (connection i talks to target i mod n, so two instances each get half). Bodies are prepared by
 * the caller beforehand so that building JSON is not part of the measurement.
 */
export async function sendAsFastAsPossible(options: {
  targets: string[];
  path: string;
  bodies: Buffer[];
  connections: number;
  headers?: (index: number) => Record<string, string>;
  /** Stop starting new requests after this long (those in flight finish): keeps a slow run bounded. */
  budgetMs?: number;
}): Promise<LoadResult> {
  const { targets, path, bodies, connections } = options;
  const perTarget = Math.ceil(connections / targets.length);
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: perTarget }));
  const sent: Sent[] = new Array(bodies.length);
  const errors = new Map<string, number>();
  let next = 0;
  const startedAt = performance.now();
  const stopAt = startedAt + (options.budgetMs ?? Infinity);
  const connection = async (lane: number) => {
    const target = lane % targets.length;
    while (next < bodies.length && performance.now() < stopAt) {
      const index = next++;
      const result = await postBody(agents[target]!, targets[target]!, path, bodies[index]!, options.headers?.(index));
      sent[index] = result;
      if (result.error) errors.set(result.error, (errors.get(result.error) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, lane) => connection(lane)));
  const endedAt = performance.now();
  for (const agent of agents) agent.destroy();
  // Requests never started (budget reached) are left out rather than counted as failures.
  return { sent: sent.slice(0, next), startedAt, endedAt, errors };
}

/**
 * Sends `count` requests at a steady rate (an open loop: a slow answer does not delay the next
 * send, as with a real monitor). The schedule is kept against the start time, so timer drift does
 * not lower the rate.
 */
export async function sendAtRate(options: {
  target: string;
  path: string;
  count: number;
  perSecond: number;
  body: (index: number) => Buffer;
  headers?: (index: number) => Record<string, string>;
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const interval = 1000 / options.perSecond;
  const sent: Sent[] = new Array(options.count);
  const errors = new Map<string, number>();
  const pending: Promise<void>[] = [];
  const startedAt = performance.now();
  for (let index = 0; index < options.count; index++) {
    const due = startedAt + index * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      postBody(agent, options.target, options.path, options.body(index), options.headers?.(index)).then((result) => {
        sent[index] = result;
        if (result.error) errors.set(result.error, (errors.get(result.error) ?? 0) + 1);
      }),
    );
  }
  await Promise.all(pending);
  const endedAt = performance.now();
  agent.destroy();
  return { sent, startedAt, endedAt, errors };
}

/** How many answers had each status: `{ 202: 19990, 503: 10 }`. */
export function countStatuses(sent: readonly Sent[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const one of sent) if (one) counts[one.status] = (counts[one.status] ?? 0) + 1;
  return counts;
}

/**
 * `sendAtRate` from a child process (bench/load-process.ts), so the sender's CPU and timers do
 * not share an event loop with an in-process Sidekick. Instants in the result are converted to this
 * process's performance.now() through both processes' timeOrigin.
 */
export async function sendAtRateInChild(options: { target: string; path: string; perSecond: number; bodies: string[]; headers: Record<string, string>[] }): Promise<LoadResult> {
  const { fork } = await import('node:child_process');
  const { join } = await import('node:path');
  const child = fork(join(import.meta.dirname, 'load-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  trackChild(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  return new Promise((resolve, reject) => {
    child.once('message', (result: { sent: Sent[]; startedAt: number; endedAt: number; errors: [string, number][]; origin: number }) => {
      const shift = result.origin - performance.timeOrigin;
      resolve({
        sent: result.sent.map((sent) => (sent ? { ...sent, at: sent.at + shift } : sent)),
        startedAt: result.startedAt + shift,
        endedAt: result.endedAt + shift,
        errors: new Map(result.errors),
      });
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load process exited (${code}): ${stderr.slice(-500)}`));
    });
    child.send(options);
  });
}
