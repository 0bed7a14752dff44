import { z } from 'zod';
import type { BoxType } from './box-type.js';

const settings = z
  .object({
    /** A Liquid condition, as inside `{% if … %}`: `alert.severity == "critical" and alert.labels.site == "eu-west"`. */
    when: z
      .string()
      .min(1)
      .refine((value) => !/[{}%]/.test(value), 'write the condition alone, without {{ }} or {% %}'),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** Branches on a condition: output `true` or `false`. */
export const conditionBox: BoxType<Settings> = {
  type: 'condition',
  title: 'Condition',
  description: 'Continues by `true` or `false` depending on a condition over the alert, the incident or earlier boxes.',
  settings,
  outputs: ['true', 'false'],
  produces: ['value'],
  // The condition is a template too: read as the `if` it becomes, so its variables are checked.
  inspect: ({ settings, checkTemplate }) => checkTemplate(`{% if ${settings.when} %}{% endif %}`, ['when']),
  async run(ctx) {
    const result = ctx.render(`{% if ${ctx.settings.when} %}true{% else %}false{% endif %}`, 'plain').text.trim();
    const port = result === 'true' ? 'true' : 'false';
    return { done: { port, output: { value: port === 'true' } } };
  },
};
