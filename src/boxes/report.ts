import { z } from 'zod';
import type { BoxType } from './box-type.js';

const settings = z.object({}).strict();

type Settings = z.infer<typeof settings>;

/** Writes the incident report from the timeline; `boxes.<id>.markdown` holds it for later boxes. */
export const reportBox: BoxType<Settings> = {
  type: 'report',
  title: 'Report',
  description: 'Writes the incident report (timeline, conversation, decisions, commands, graphs) as Markdown.',
  settings,
  outputs: ['next'],
  produces: ['markdown'],
  async run(ctx) {
    const markdown = await ctx.services.renderReport(ctx.incident.id);
    await ctx.timeline({ kind: 'report', actor: 'sidekick', text: `Report written (${markdown.length} characters)`, data: {} });
    return { done: { port: 'next', output: { markdown } } };
  },
};
