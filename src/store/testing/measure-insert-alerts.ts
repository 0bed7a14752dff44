/**
 * Measures insertAlerts throughput on a SQLite file (the embedded default), for the alert-storm
 * bar (≥ 5,000 alerts/s on 2 cores): `npx tsx src/store/testing/measure-insert-alerts.ts`.
 * Prints alerts per second by wall clock and per CPU-second of this process (fairer when the
 * machine is busy) for: one-alert calls one after another, one-alert calls 64 at a time (many
 * webhooks at once; the store commits them together), and calls of 100 alerts; then the cost of
 * claiming jobs from the resulting queue.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NewAlert, Store } from '../store.js';
import { createStore } from '../create-store.js';

const GROUPS = 200;

function makeAlert(i: number, receivedAt: string): NewAlert {
  const host = `db-${i % GROUPS}.example.com`;
  return {
    id: `alert-${i}`,
    source: 'datadog',
    dedupKey: `mysql-replication-${i % GROUPS}`,
    status: 'firing',
    title: `MySQL replication delay high on ${host}`,
    severity: 'high',
    labels: { host, service: 'mysql', site: i % 2 ? 'ams' : 'fra' },
    links: [{ title: 'monitor', url: `https://app.datadoghq.com/monitors/${i % GROUPS}` }],
    startsAt: receivedAt,
    raw: { id: i, host, alert_type: 'error', body: 'x'.repeat(600), tags: ['role:db', `host:${host}`] },
    receivedAt,
    groupKey: `datadog:mysql-replication-${i % GROUPS}`,
  };
}

async function measure(store: Store, total: number, batch: number, inFlight: number, offset: number): Promise<string> {
  const now = new Date().toISOString();
  const batches = Array.from({ length: total / batch }, (_, b) => Array.from({ length: batch }, (_, j) => makeAlert(offset + b * batch + j, now)));
  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) await store.insertAlerts(batches[next++], { now, dedupWindowMs: 60_000 });
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const used = process.cpuUsage(cpu);
  const wall = total / ((performance.now() - started) / 1000);
  const perCpu = total / ((used.user + used.system) / 1e6);
  return `${Math.round(wall)} alerts/s wall, ${Math.round(perCpu)} alerts/s per CPU-second`;
}

const dir = mkdtempSync(join(tmpdir(), 'sidekick-measure-'));
try {
  const store = await createStore({ dataDir: dir });
  await measure(store, 500, 10, 1, 10_000_000); // warm up
  console.log(`1 alert per call, sequential:   ${await measure(store, 5_000, 1, 1, 0)}`);
  console.log(`1 alert per call, 64 in flight: ${await measure(store, 20_000, 1, 64, 100_000)}`);
  console.log(`100 alerts per call:            ${await measure(store, 20_000, 100, 1, 200_000)}`);
  const now = new Date(Date.now() + 1000).toISOString();
  const until = new Date(Date.now() + 60_000).toISOString();
  for (const owner of ['first', 'second', 'third', 'fourth', 'fifth']) {
    const started = performance.now();
    const claimed = await store.claimJobs(owner, 50, now, until);
    console.log(`claimJobs(50) with ${await store.countAlerts()} alerts queued: ${(performance.now() - started).toFixed(1)} ms, ${claimed.length} jobs`);
  }
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
