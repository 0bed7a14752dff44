import type { z } from 'zod';
import type { Alert } from '../alerts/alert.js';
import type { Incident, TimelineEntry } from '../incidents/incident.js';
import type { Run, Task } from '../model/run.js';
import type { Services } from './services.js';
import type { EscapeMode, RenderResult } from '../templates/render.js';
import type { Arrow, OutputRule } from '../flows/flow-graph.js';
import type { PlaybookLibrary } from '../playbooks/playbook.js';

/**
 * A kind of box. One file in src/boxes/ per type, registered in src/boxes/registry.ts.
 * `run` does the box's work; a box that waits (a timer, a click, an incident event) returns
 * `wait` and is called again through `resume` when the event arrives. Everything else that knows
 * about a box (flow inspection, `/api/boxes`, the editor) asks it through these fields.
 */
export interface BoxType<S = Record<string, unknown>> {
  readonly type: string;
  readonly title: string;
  readonly description: string;
  /**
   * Settings beside the base fields (id, type, next, on, position). A templated string carries
   * `.meta({ template: mode })` (see box-templates.ts), also as the value of a record or list:
   * the mode says how interpolated values are escaped (`shell` quotes them for POSIX shell).
   */
  readonly settings: z.ZodType<S>;
  /**
   * The named outputs arrows can leave from, as rules evaluated against the box's settings
   * (src/flows/flow-graph.ts), so the editor draws them without running box code. Most boxes
   * have just `['next']`.
   */
  readonly outputs: readonly OutputRule[];
  /** Fields of its output that later boxes read as `boxes.<id>.<field>` (the editor suggests them). */
  readonly produces?: readonly string[];
  /** Checks of its own, beyond the schema and its templates, made before a flow ever runs. */
  inspect?(input: BoxInspection<S>): BoxFinding[];
  run(ctx: BoxContext<S>): Promise<BoxResult>;
  resume?(ctx: BoxContext<S>, event: BoxEvent): Promise<BoxResult>;
}

/** What a box's `inspect` sees: its valid settings, its arrows and what the flow check knows. */
export interface BoxInspection<S> {
  readonly box: { id: string; type: string };
  readonly settings: S;
  readonly arrows: readonly Arrow[];
  /** Its outputs for these settings. */
  readonly outputs: readonly string[];
  readonly playbooks?: PlaybookLibrary;
  /** The scope built from the flow's sample alert, when it names one. */
  readonly sampleScope?: Record<string, unknown>;
  /** Checks a template as a templated setting at `path` is checked (syntax, variables, box order). */
  checkTemplate(source: string, path: (string | number)[]): BoxFinding[];
}

/** A problem a box finds in itself; `path` is relative to the box (`['url']`). */
export interface BoxFinding {
  code: string;
  message: string;
  path?: (string | number)[];
  severity?: 'error' | 'warning';
}

export type BoxResult = { done: { port: string; output?: unknown } } | { wait: { until?: string; event?: string; state?: unknown } };

export type BoxEvent = { kind: 'timer' } | { kind: 'click'; choice: string; userId: string; userName: string; messageId: string } | { kind: 'incident'; event: string };

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
