import { z } from 'zod';
import type { BoxType } from './box-type.js';
import { SEVERITIES, type Severity } from '../alerts/alert.js';

const settings = z
  .object({
    severity: z.enum(SEVERITIES),
    /** Only ever raise it: a flow that escalates never undoes a responder's own call to go higher. */
    onlyRaise: z.boolean().default(false),
    /** Why, for the timeline: `error budget burning {{ boxes.rate.json.value }}x`. */
    reason: z.string().max(500).optional().meta({ template: 'plain' }),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** `critical` first: a lower index is more severe. */
const rank = (severity: Severity) => SEVERITIES.indexOf(severity);

/** Sets the incident's severity, e.g. escalating when a condition finds customers affected. */
export const setSeverityBox: BoxType<Settings> = {
  type: 'set-severity',
  title: 'Set severity',
  description: 'Sets the incident severity (critical, high, warning, info), optionally only raising it; the change is on the timeline.',
  settings,
  outputs: ['next'],
  produces: ['severity', 'changed', 'from'],
  async run(ctx) {
    const from = ctx.incident.severity;
    const to = ctx.settings.severity;
    const lower = rank(to) > rank(from);
    if (from === to || (ctx.settings.onlyRaise && lower)) {
      return { done: { port: 'next', output: { severity: from, changed: false } } };
    }
    await ctx.services.incidents.update(ctx.incident.id, { severity: to });
    const reason = ctx.settings.reason ? ctx.setting('reason') : '';
    await ctx.timeline({
      kind: 'severity',
      actor: 'sidekick',
      text: `Severity: ${from} → ${to}${reason ? ` (${reason})` : ''}`,
      data: { from, to, box: ctx.box.id },
      key: 'severity',
    });
    return { done: { port: 'next', output: { severity: to, from, changed: true } } };
  },
};
