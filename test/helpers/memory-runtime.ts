import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import { createRuntime, type Runtime, type RuntimeOverrides } from '../../src/runtime/create-runtime.js';
import { createStore } from '../../src/store/create-store.js';
import { FakeClock } from '../../src/util/clock.js';
import { parseFlow } from '../../src/flows/parse-flow.js';
import { FlowCatalog } from '../../src/flows/flow-catalog.js';
import { loadPlaybooks } from '../../src/playbooks/load-playbooks.js';
import type { NormalisedAlert } from '../../src/alerts/alert.js';
import type { IssueTracker } from '../../src/trackers/issue-tracker.js';

export interface MemoryRuntime extends Runtime {
  clock: FakeClock;
  filed: { title: string; body: string; existing?: unknown }[];
  /** Stores an alert as the webhook would (and enqueues its grouping job). */
  receive(alert: Partial<NormalisedAlert>): Promise<string>;
  /** Runs every due job, then moves the fake clock to each next due job until `ms` have passed. */
  advance(ms: number): Promise<void>;
}

/** A whole Sidekick in memory on a fake clock, driven by hand: the engine tests' world. */
export async function createMemoryRuntime(flows: string[], overrides: RuntimeOverrides = {}): Promise<MemoryRuntime> {
  const clock = new FakeClock('2026-01-01T04:00:00.000Z');
  const parsed = flows.map((text, i) => {
    const result = parseFlow(text, `flow-${i}.yaml`);
    if (!result.flow) throw new Error(result.problems.map((p) => `${p.code} ${p.line}: ${p.message}`).join('\n'));
    return { flow: result.flow, file: `flow-${i}.yaml` };
  });
  const filed: MemoryRuntime['filed'] = [];
  const tracker: IssueTracker = {
    name: 'memory',
    async file(request) {
      filed.push({ title: request.title, body: request.body, existing: request.existing });
      return { tracker: 'memory', id: String(filed.length), url: `https://issues.example/${filed.length}` };
    },
  };
  const config = loadConfig({ env: {}, cwd: process.cwd() });
  const runtime = await createRuntime(config, {
    store: await createStore({ dataDir: ':memory:' }),
    clock,
    tracker,
    log: pino({ level: 'silent' }),
    startWorker: false,
    flows: new FlowCatalog(parsed, []),
    playbooks: await loadPlaybooks([join(import.meta.dirname, '../../examples/playbooks')]),
    ...overrides,
  });
  let counter = 0;
  return Object.assign(runtime, {
    clock,
    filed,
    async receive(partial: Partial<NormalisedAlert>) {
      const now = clock.now().toISOString();
      const alert: NormalisedAlert = {
        source: 'generic',
        dedupKey: 'key-1',
        status: 'firing',
        title: 'Something is wrong',
        severity: 'high',
        labels: {},
        links: [],
        startsAt: now,
        raw: {},
        ...partial,
      };
      const id = `alert-${++counter}`;
      await runtime.store.insertAlerts([{ ...alert, id, receivedAt: now, groupKey: `${alert.source}:${alert.dedupKey}` }], { now, dedupWindowMs: 0 });
      return id;
    },
    async advance(ms: number) {
      const end = clock.now().getTime() + ms;
      await runtime.worker.drain();
      for (;;) {
        const due = await runtime.store.nextJobDue();
        if (!due || new Date(due).getTime() > end) break;
        if (new Date(due) > clock.now()) clock.set(due);
        await runtime.worker.drain();
      }
      clock.set(new Date(end));
      await runtime.worker.drain();
    },
  }) as MemoryRuntime;
}
