import type { FlowDefinition } from '../flows/flow-schema.js';
import { startBoxes } from '../flows/flow-graph.js';
import { hashFlow } from '../flows/hash-flow.js';
import type { Run } from '../model/run.js';
import type { Store } from '../store/store.js';
import { enqueueHandedOff, type JobHandoff } from './job-handoff.js';

/** A flow to start for an incident, at most once per trigger. */
export interface RunStart {
  flow: FlowDefinition;
  /** What started it (`alert:<id>`, `opened:<incident>`): a second start with the same key is a no-op. */
  triggerKey: string;
  alertId?: string;
}

/**
 * Writes a run, its start tasks and their task jobs with `tx`, inside the caller's transaction:
 * the commit that decided the run also holds its first work. Undefined when the flow already ran
 * for this trigger (runs are unique per flow, incident and trigger key).
 */
export async function insertRun(tx: Store, incidentId: string, start: RunStart, now: string, newId: () => string, handoff: JobHandoff): Promise<Run | undefined> {
  const { flow, triggerKey, alertId } = start;
  const { run, created } = await tx.createRun({ id: newId(), flowId: flow.id, flowHash: flowHash(flow), flow, incidentId, triggerKey, alertId, status: 'running' }, now);
  if (!created) return undefined;
  for (const boxId of startBoxes(flow)) await insertTask(tx, run, boxId, now, newId, handoff);
  return run;
}

/**
 * A ready task of `run` for box `boxId`, and the job that runs it. The job's queue is the new
 * task's own, so it may be handed to this process's worker leased (job-handoff.ts).
 */
export async function insertTask(tx: Store, run: Pick<Run, 'id' | 'incidentId'>, boxId: string, now: string, newId: () => string, handoff: JobHandoff): Promise<void> {
  const task = await tx.createTask({ id: newId(), runId: run.id, incidentId: run.incidentId, boxId, status: 'ready', attempts: 0 }, now);
  await enqueueHandedOff(tx, { kind: 'task', payload: { taskId: task.id }, runAt: now, queue: `task:${task.id}` }, handoff);
}

/** Flows are immutable once loaded: each definition is hashed once. */
const hashes = new WeakMap<FlowDefinition, string>();

function flowHash(flow: FlowDefinition): string {
  let hash = hashes.get(flow);
  if (hash === undefined) {
    hash = hashFlow(flow);
    hashes.set(flow, hash);
  }
  return hash;
}
