import { z } from 'zod';
import type { BoxType } from './box-type.js';

const settings = z
  .object({
    /** Variables to set (name → template); later boxes read `vars.<name>`. */
    set: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/i, 'a variable name uses letters, digits and _'), z.string().meta({ template: 'plain' })),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** Sets flow variables from templates, e.g. a host name fished out of the alert once. */
export const setVariableBox: BoxType<Settings> = {
  type: 'set-variable',
  title: 'Set variable',
  description: 'Sets flow variables (vars.<name>) from templates for later boxes.',
  settings,
  outputs: ['next'],
  produces: ['vars'],
  async run(ctx) {
    const vars = Object.fromEntries(Object.entries(ctx.settings.set).map(([name, template]) => [name, ctx.render(template, 'plain').text]));
    return { done: { port: 'next', output: { vars } } };
  },
};
