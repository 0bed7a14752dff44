import type { z } from 'zod';
import type { Alert } from '../alerts/alert.js';
import type { Incident, TimelineEntry } from '../incidents/incident.js';
import type { Run, Task } from '../engine/run.js';
import type { Services } from '../engine/services.js';
import type { EscapeMode, RenderResult } from '../templates/render.js';

/**
 * A kind of box. One file in src/boxes/ per type, registered in src/boxes/registry.ts.
 * `run` does the box's work; a box that waits (a timer, a click, an incident event) returns
 * `wait` and is called again through `resume` when the event arrives.
 */
export interface BoxType<S = Record<string, unknown>> {
  readonly type: string;
  readonly title: string;
  readonly description: string;
  /** Settings beside the base fields (id, type, next, on, position). */
  readonly settings: z.ZodType<S>;
  /** The named outputs arrows can leave from. Most boxes have just `next`. */
  outputs(settings: S): string[];
  /**
   * How each templated string setting is escaped when rendered. Settings not listed are not
   * templates. `shell` quotes every interpolated value for POSIX shell.
   */
  readonly templates: Partial<Record<keyof S & string, EscapeMode>>;
  run(ctx: BoxContext<S>): Promise<BoxResult>;
  resume?(ctx: BoxContext<S>, event: BoxEvent): Promise<BoxResult>;
}

export type BoxResult =
  | { done: { port: string; output?: unknown } }
  | { wait: { until?: string; event?: string; state?: unknown } };

export type BoxEvent =
  | { kind: 'timer' }
  | { kind: 'click'; choice: string; userId: string; userName: string; messageId: string }
  | { kind: 'incident'; event: string };

/** What a box sees while it runs. Time and ids come from here, so tests use a fake clock. */
export interface BoxContext<S> {
  readonly settings: S;
  readonly box: { id: string; type: string; title?: string };
  readonly run: Run;
  readonly task: Task;
  readonly incident: Incident;
  readonly alert?: Alert;
  /** The box's persisted state from its last wait, if any. */
  readonly state: unknown;
  readonly services: Services;
  /** Stable per task: pass it to every outside call so a retry never acts twice. */
  readonly idempotencyKey: string;
  /** Renders a template against the run's scope; missing values become visible markers. */
  render(template: string, mode?: EscapeMode): RenderResult;
  /** Renders one templated setting by name, as its type's `templates` says. */
  setting(name: keyof S & string): string;
  /** The scope templates see: alert, incident, vars, boxes, now. */
  readonly scope: Record<string, unknown>;
  /**
   * Adds a line. Lines are numbered per run of the box, so a retried run does not repeat them;
   * a `key` names a line instead (once per task), for lines a retry may add in another order.
   */
  timeline(entry: Omit<TimelineEntry, 'id' | 'incidentId' | 'at'> & { at?: string; key?: string }): Promise<void>;
  /** A signed button value that comes back to this task as a click with `choice`. */
  buttonValue(choice: string): string;
  now(): Date;
}
