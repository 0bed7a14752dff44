/**
 * The load generator as a process of its own (so its CPU and timers are not Sidekick's): receives
 * the requests over IPC, sends them at a steady rate, and sends back what each answer cost.
 * Started by `sendAtRateInChild` in load-generator.ts.
 */
import { performance } from 'node:perf_hooks';
import { sendAtRate } from './load-generator.js';

interface RateJob {
  target: string;
  path: string;
  perSecond: number;
  bodies: string[];
  headers: Record<string, string>[];
}

process.once('message', (job: RateJob) => {
  sendAtRate({
    target: job.target,
    path: job.path,
    count: job.bodies.length,
    perSecond: job.perSecond,
    body: (index) => Buffer.from(job.bodies[index]!),
    headers: (index) => job.headers[index] ?? {},
  }).then(
    (result) => {
      // timeOrigin lets the parent put these instants on its own clock (same machine, same wall clock).
      const message = { sent: result.sent, startedAt: result.startedAt, endedAt: result.endedAt, errors: [...result.errors.entries()], origin: performance.timeOrigin };
      process.send?.(message, () => process.exit(0));
    },
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
});
