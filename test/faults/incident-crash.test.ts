import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorld, runScenario } from './incident-crash-world.js';
import { countTexts } from './fault-kit.js';

const root = join(import.meta.dirname, '../..');
const child = join(import.meta.dirname, 'incident-crash-child.ts');
/** How many crash points are tried (at least 20, spread over every commit of the scenario). */
const CRASH_POINTS = Number(process.env.SIDEKICK_CRASH_POINTS ?? 20);

/** Runs the scenario in a child process that kills itself (SIGKILL) after commit `crashAfter`. */
function runChild(dir: string, crashAfter: number): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, String(crashAfter)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.once('error', reject);
    proc.once('exit', (code, signal) => (code === 0 || signal ? resolve({ signal, output }) : reject(new Error(`child exited ${code}: ${output}`))));
  });
}

function freshDir(dirs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-incident-crash-'));
  mkdirSync(join(dir, 'data'));
  dirs.push(dir);
  return dir;
}

/** Finishes the scenario on the same data, as a restarted Sidekick would, and reads what happened. */
async function finishAndRead(dir: string) {
  const runtime = await openWorld(dir);
  try {
    await runScenario(runtime);
    const incidents = await runtime.store.listIncidents({});
    const messages = countTexts((await runtime.store.listRoomMessages({ limit: 10_000 })).map((m) => m.text));
    const timeline = incidents[0] ? await runtime.store.listTimeline(incidents[0].id) : [];
    const statuses = countTexts(timeline.filter((e) => e.kind === 'status').map((e) => e.text));
    const alerts = await runtime.store.listAlerts({ limit: 100 });
    const { failed } = await runtime.store.countJobs();
    return { incidents, messages, statuses, alerts, failed };
  } finally {
    await runtime.close();
    await runtime.store.close();
  }
}

/**
 * kill -9 at every commit boundary of open / join / resolve / reopen: whichever commit was the
 * last, the restarted Sidekick delivers `resolved` to the box waiting for it and runs each
 * event's flows, exactly once each.
 */
describe('kill -9 at every commit of an incident’s life (SQLite)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it(`hears every event once, whichever of ${CRASH_POINTS} commits was the last before the kill`, async () => {
    const clean = await runChild(freshDir(dirs), 0);
    const total = Number(/COMMITS (\d+)/.exec(clean.output)?.[1]);
    expect(total).toBeGreaterThan(CRASH_POINTS / 2);
    // Evenly over the whole scenario, always including the first and the last commit.
    const points = [...new Set(Array.from({ length: CRASH_POINTS }, (_, i) => 1 + Math.round((i * (total - 1)) / (CRASH_POINTS - 1))))];
    const failures: string[] = [];
    for (const crashAfter of points) {
      const dir = freshDir(dirs);
      const run = await runChild(dir, crashAfter);
      const state = await finishAndRead(dir);
      const expected = {
        incidents: 1,
        status: 'investigating',
        linked: 5,
        messages: { 'Firing: MySQL down': 1, 'heard resolved': 1, 'opened flow ran': 1, 'resolved flow ran': 1, 'reopened flow ran': 1 },
        statuses: { 'Status: investigating → resolved': 1, 'Status: resolved → investigating': 1 },
        failed: 0,
      };
      const seen = {
        incidents: state.incidents.length,
        status: state.incidents[0]?.status,
        linked: state.alerts.filter((alert) => alert.incidentId === state.incidents[0]?.id).length,
        messages: Object.fromEntries(Object.entries(state.messages).filter(([text]) => !text.startsWith('🧾'))),
        statuses: state.statuses,
        failed: state.failed,
      };
      if (!isDeepStrictEqual(seen, expected)) failures.push(`after commit ${crashAfter} (${run.signal ?? 'no kill'}): ${JSON.stringify(seen)}`);
    }
    expect(failures).toEqual([]);
    expect(points.length).toBeGreaterThanOrEqual(20);
  }, 600_000);
});
