import { closeSync, copyFileSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { createStore } from '../src/store/create-store.js';

/** How much history a long-lived installation has piled up. */
export interface BacklogSize {
  openIncidents: number;
  queuedJobs: number;
  storedAlerts: number;
}

/** The sizes issue #12 names: 10,000 open incidents, 100,000 queued jobs, 1,000,000 alerts. */
export const FULL_BACKLOG: BacklogSize = { openIncidents: 10_000, queuedJobs: 100_000, storedAlerts: 1_000_000 };

/**
 * Fills `dataDir/sidekick.db` (migrated first, through the product's own createStore) with a
 * backlog, in a few bulk transactions of prepared multi-row inserts rather than through the
 * product's per-alert path, so that a million rows take seconds, not an hour.
 *
 * What the rows stand for: every open incident holds a share of the stored alerts (grouped
 * alerts of the past), and the queued jobs are the timers of their flows (reminders, waits) due
 * in six hours, ten per incident in queues of their own. Queued work that is due would be worked
 * off during the measurement and measure the backlog's draining instead of the cost of carrying it.
 */
export async function seedBacklog(dataDir: string, size: BacklogSize): Promise<{ seconds: number; bytes: number }> {
  const began = performance.now();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = await createStore({ dataDir });
  await store.close();
  const file = join(dataDir, 'sidekick.db');
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = Date.now();
  const incidentId = (i: number) => `seed-incident-${i}`;
  try {
    insertRows(db, 'incidents', ['id', 'number', 'title', 'severity', 'status', 'group_key', 'labels', 'created_at', 'updated_at', 'responders', 'channels'], size.openIncidents, (i) => [
      incidentId(i),
      i + 1,
      `Seeded incident ${i}`,
      'high',
      'investigating',
      `seed-group-${i}`,
      '{"cluster":"seed"}',
      now - 86_400_000 + i,
      now - 86_400_000 + i,
      '[]',
      '[]',
    ]);
    const raw = JSON.stringify({ status: 'firing', labels: { alertname: 'SeededAlert', instance: 'db-1:9100' }, annotations: { summary: 'seeded' } });
    insertRows(
      db,
      'alerts',
      ['id', 'source', 'dedup_key', 'status', 'title', 'severity', 'labels', 'links', 'starts_at', 'raw', 'content_hash', 'group_key', 'received_at', 'incident_id'],
      size.storedAlerts,
      (i) => {
        const incident = i % Math.max(1, size.openIncidents);
        const at = now - 86_400_000 + Math.floor((i * 86_000_000) / size.storedAlerts);
        return [
          `seed-alert-${i}`,
          'alertmanager',
          `seed-key-${i % 50_000}`,
          'firing',
          `Seeded alert ${i}`,
          'high',
          '{"alertname":"SeededAlert"}',
          '[]',
          at,
          raw,
          `seed-hash-${i}`,
          `seed-group-${incident}`,
          at,
          size.openIncidents ? incidentId(incident) : null,
        ];
      },
    );
    const due = now + 6 * 3_600_000;
    insertRows(db, 'jobs', ['kind', 'payload', 'queue', 'run_at'], size.queuedJobs, (i) => ['task', JSON.stringify({ taskId: `seed-task-${i}` }), `task:seed-task-${i}`, due + i]);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('analyze');
  } finally {
    db.close();
  }
  const { size: bytes } = await import('node:fs').then((fs) => fs.statSync(file));
  return { seconds: (performance.now() - began) / 1000, bytes };
}

/** Inserts `count` rows, 500 per statement and 100,000 per transaction. */
function insertRows(db: BetterSqlite3.Database, table: string, columns: string[], count: number, row: (i: number) => unknown[]): void {
  const perStatement = 500;
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const full = db.prepare(`insert into ${table} (${columns.join(', ')}) values ${Array(perStatement).fill(placeholders).join(', ')}`);
  const insertChunk = db.transaction((from: number, to: number) => {
    for (let start = from; start < to; start += perStatement) {
      const end = Math.min(to, start + perStatement);
      const values: unknown[] = [];
      for (let i = start; i < end; i++) values.push(...row(i));
      if (end - start === perStatement) full.run(values);
      else
        db.prepare(
          `insert into ${table} (${columns.join(', ')}) values ${Array(end - start)
            .fill(placeholders)
            .join(', ')}`,
        ).run(values);
    }
  });
  for (let from = 0; from < count; from += 100_000) insertChunk(from, Math.min(count, from + 100_000));
}

const templates = new Map<string, Promise<{ file: string; seconds: number; bytes: number }>>();

/**
 * Puts a seeded database into `dataDir`: seeded once per size and run (the first call pays the
 * seeding), then copied, since every benchmark that uses it changes it.
 */
export async function seededCopy(dataDir: string, size: BacklogSize): Promise<{ seedSeconds: number; bytes: number }> {
  const key = JSON.stringify(size);
  let template = templates.get(key);
  if (!template) {
    const folder = mkdtempSync(join(tmpdir(), 'sidekick-backlog-'));
    template = seedBacklog(folder, size).then((seeded) => ({ ...seeded, file: join(folder, 'sidekick.db') }));
    templates.set(key, template);
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  }
  const { file, seconds, bytes } = await template;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const copy = join(dataDir, 'sidekick.db');
  copyFileSync(file, copy);
  // Flushed before the benchmark starts: writing back half a gigabyte of this copy would otherwise
  // share the disk with whatever is measured next.
  const handle = openSync(copy, 'r+');
  try {
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
  return { seedSeconds: seconds, bytes };
}
