import { z } from 'zod';
import type { BoxType } from './box-type.js';
import { INCIDENT_EVENTS } from '../flows/flow-schema.js';
import { durationSchema, parseDuration } from '../util/duration.js';

const settings = z
  .object({
    /** How long to wait; the run continues by `next`. */
    duration: durationSchema.optional(),
    /** An incident event to wait for; the run continues by the output of that name. */
    until: z.enum(INCIDENT_EVENTS).optional(),
  })
  .strict()
  .refine((s) => s.duration || s.until, 'a wait needs a duration, an `until` event, or both');

type Settings = z.infer<typeof settings>;

/**
 * Waits for a time, an incident event, or whichever comes first. The wait is a row in the
 * database, never a timer in memory: it survives restarts and fires on whichever instance is up.
 */
export const waitBox: BoxType<Settings> = {
  type: 'wait',
  title: 'Wait',
  description: 'Waits for a duration or until an incident event (resolved, mitigated…), whichever comes first.',
  settings,
  outputs: [{ name: 'next', when: 'duration' }, { from: 'until' }],
  produces: ['event'],
  async run(ctx) {
    // The incident may have got there before this box ran (resolved while earlier boxes worked):
    // an event that already happened is not waited for.
    const reached = ctx.settings.until;
    if ((reached === 'resolved' || reached === 'mitigated') && ctx.incident.status === reached) {
      return { done: { port: reached, output: { event: reached } } };
    }
    const until = ctx.settings.duration ? new Date(ctx.now().getTime() + parseDuration(ctx.settings.duration)).toISOString() : undefined;
    return { wait: { until, event: ctx.settings.until, state: { until } } };
  },
  async resume(ctx, event) {
    if (event.kind === 'timer') return { done: { port: 'next' } };
    if (event.kind === 'incident' && event.event === ctx.settings.until) {
      return { done: { port: event.event, output: { event: event.event } } };
    }
    const { until } = (ctx.state ?? {}) as { until?: string };
    return { wait: { until, event: ctx.settings.until, state: { until } } };
  },
};
