import type { FlowDefinition } from '../flows/flow-schema.js';

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** One execution of a flow for one incident, pinned to the flow version it started with. */
export interface Run {
  id: string;
  flowId: string;
  /** Hash of the flow definition the run started with; edits to the file never change a run in flight. */
  flowHash: string;
  flow: FlowDefinition;
  incidentId: string;
  /** What started it (alert id, `declared`, `resolved`…); one run per flow, incident and trigger. */
  triggerKey: string;
  /** The alert that started it, if any (for templates). */
  alertId?: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
}

export type TaskStatus = 'ready' | 'running' | 'waiting' | 'done' | 'failed' | 'cancelled';

/**
 * One visit of a box in a run. Boxes reached twice (a loop) get a new task each time; the task id
 * is the idempotency key of whatever the box does outside.
 */
export interface Task {
  id: string;
  runId: string;
  incidentId: string;
  boxId: string;
  status: TaskStatus;
  /** The box's own persisted state while it waits (a playbook's path, a reminder's count). */
  state?: unknown;
  /** What the box produced, visible to later boxes as `boxes.<id>`. */
  output?: unknown;
  /** The named output the box left by. */
  port?: string;
  error?: string;
  attempts: number;
  /** Set while waiting on a timer. */
  waitUntil?: string;
  /** Set while waiting on an incident event (`resolved`, `mitigated`…). */
  waitFor?: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  /** Optimistic lock: every update must name the version it read. */
  version: number;
}
