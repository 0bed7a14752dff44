import type { BoxContext, BoxType } from '../boxes/box-type.js';
import type { Alert } from '../alerts/alert.js';
import type { Incident, TimelineEntry } from '../incidents/incident.js';
import type { Run, Task } from '../model/run.js';
import type { Services } from '../boxes/services.js';
import type { EscapeMode, RenderResult } from '../templates/render.js';
import { renderTemplate } from '../templates/render.js';
import { templatesOf } from '../boxes/box-templates.js';

/** What a box run leaves behind besides its result: the values templates could not find. */
export interface ContextRecord {
  missing: Set<string>;
}

/**
 * Builds the context one box execution sees. Timeline entries get ids derived from the task and
 * its version, so an execution retried after a crash writes the same entries, not new ones.
 */
export function createBoxContext<S>(input: {
  boxType: BoxType<S>;
  settings: S;
  box: { id: string; type: string; title?: string };
  run: Run;
  task: Task;
  incident: Incident;
  alert?: Alert;
  scope: Record<string, unknown>;
  services: Services;
  emitTimeline(entry: TimelineEntry): void;
}): { ctx: BoxContext<S>; record: ContextRecord } {
  const { services, task } = input;
  const record: ContextRecord = { missing: new Set() };
  let entryCount = 0;
  const render = (template: string, mode: EscapeMode = 'text'): RenderResult => {
    const result = renderTemplate(template, input.scope, mode);
    for (const path of result.missing) record.missing.add(path);
    return result;
  };
  const ctx: BoxContext<S> = {
    settings: input.settings,
    box: input.box,
    run: input.run,
    task,
    incident: input.incident,
    alert: input.alert,
    state: task.state,
    services,
    idempotencyKey: task.id,
    scope: input.scope,
    render,
    setting(name) {
      const value = (input.settings as Record<string, unknown>)[name];
      if (typeof value !== 'string') return '';
      const mode = templatesOf(input.boxType.settings).modes[name];
      return mode ? render(value, mode).text : value;
    },
    async timeline(entry) {
      const stored = await services.store.addTimeline({
        id: entry.key ? `${task.id}:${entry.key}` : `${task.id}:${task.version}:${entryCount++}`,
        incidentId: input.incident.id,
        at: entry.at ?? services.clock.now().toISOString(),
        kind: entry.kind,
        actor: entry.actor,
        text: entry.text,
        data: entry.data,
      });
      input.emitTimeline(stored);
    },
    buttonValue(choice) {
      return services.signer.sign(`${task.id}|${choice}`);
    },
    now: () => services.clock.now(),
  };
  return { ctx, record };
}
