import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { createStore } from '../../src/store/create-store.js';
import type { Store, NewAlert } from '../../src/store/store.js';
import { parseFlow } from '../../src/flows/parse-flow.js';
import { FlowCatalog } from '../../src/flows/flow-catalog.js';

/*
 * The world of the incident crash test: one group's alerts open, join, resolve and reopen an
 * incident, with flows that wait for `resolved` and flows triggered by each event. The child
 * process (incident-crash-child.ts) runs it until it kills itself after a chosen commit; the test
 * then runs it again on the same database to the end and counts what happened.
 */

const FLOWS = [
  `
id: story
trigger: { on: alert }
boxes:
  - id: hello
    type: post
    text: "Firing: {{ alert.title }}"
  - id: until-resolved
    type: wait
    until: resolved
    on: { resolved: heard }
  - id: heard
    type: post
    text: "heard resolved"
`,
  ...['opened', 'resolved', 'reopened'].map(
    (event) => `
id: on-${event}
trigger: { on: ${event} }
boxes:
  - id: say
    type: post
    text: "${event} flow ran"
`,
  ),
];

/** The alerts, in arrival order, one phase after the other: open, join, resolve (two), reopen. */
const PHASES: { id: string; dedupKey: string; status: 'firing' | 'resolved' }[][] = [
  [{ id: 'a1', dedupKey: 'db-1', status: 'firing' }],
  [{ id: 'a2', dedupKey: 'db-2', status: 'firing' }],
  [{ id: 'a3', dedupKey: 'db-1', status: 'resolved' }],
  [{ id: 'a4', dedupKey: 'db-2', status: 'resolved' }],
  [{ id: 'a5', dedupKey: 'db-1', status: 'firing' }],
];

/** A runtime on the data folder `dir`; `wrap` may replace the store (to count commits). */
export async function openWorld(dir: string, wrap: (store: Store) => Store = (store) => store): Promise<Runtime> {
  const config = loadConfig({ env: {}, cwd: dir });
  const flows = FLOWS.map((text, i) => {
    const parsed = parseFlow(text, `flow-${i}.yaml`);
    if (!parsed.flow) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
    return { flow: parsed.flow, file: `flow-${i}.yaml` };
  });
  return createRuntime(config, {
    store: wrap(await createStore({ dataDir: join(dir, 'data') })),
    log: pino({ level: 'silent' }),
    startWorker: false,
    // Short leases: after a kill the dead process's jobs are free again quickly.
    leaseMs: 300,
    flows: new FlowCatalog(flows, []),
  });
}

/** Receives each phase's alerts (again: a stored id is not stored twice) and lets the work settle. */
export async function runScenario(runtime: Runtime): Promise<void> {
  for (const phase of PHASES) {
    const now = new Date().toISOString();
    const alerts: NewAlert[] = phase.map((alert) => ({
      ...alert,
      source: 'alertmanager',
      title: `MySQL down`,
      severity: 'high',
      labels: { alertname: 'MySQLDown' },
      links: [],
      startsAt: now,
      raw: { alert: alert.id },
      receivedAt: now,
      groupKey: 'alertmanager:group:{}:{alertname="MySQLDown"}',
    }));
    await runtime.store.insertAlerts(alerts, { now, dedupWindowMs: 0 });
    await settle(runtime);
  }
}

/** Runs due jobs until none is due now or leased (digests due later are left). */
async function settle(runtime: Runtime): Promise<void> {
  for (let rounds = 0; rounds < 400; rounds++) {
    const ran = await runtime.worker.drain();
    const { leased } = await runtime.store.countJobs();
    const next = await runtime.store.nextJobDue();
    const dueNow = next !== undefined && new Date(next).getTime() <= Date.now();
    if (ran === 0 && leased === 0 && !dueNow) return;
    if (ran === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the work did not settle');
}
