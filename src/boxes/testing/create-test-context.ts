import { createBoxContext } from '../../engine/box-context.js';
import type { Incident } from '../../incidents/incident.js';
import type { BoxContext, BoxType } from '../box-type.js';
import type { Services } from '../services.js';

/**
 * The context a box runs with, built the way the engine builds it, for tests of one box: its
 * settings parsed by its own schema, a fixed clock, and only the services the test hands over.
 */
export function createTestContext<S>(
  boxType: BoxType<S>,
  input: { settings: Record<string, unknown>; incident: Incident; scope?: Record<string, unknown>; services?: Record<string, unknown> },
): BoxContext<S> {
  const services = {
    clock: { now: () => new Date('2026-01-01T04:00:00Z') },
    store: { addTimeline: async (entry: unknown) => entry },
    ...input.services,
  } as unknown as Services;
  const { ctx } = createBoxContext({
    boxType,
    settings: boxType.settings.parse(input.settings),
    box: { id: 'box', type: boxType.type },
    run: { id: 'run_1' } as never,
    task: { id: 'task_1', version: 1, state: undefined } as never,
    incident: input.incident,
    scope: input.scope ?? {},
    services,
    emitTimeline: () => {},
  });
  return ctx;
}
