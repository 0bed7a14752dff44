import { z } from 'zod';
import type { BoxType } from './box-type.js';
import { resolveTarget } from './chat-target.js';

const settings = z
  .object({
    text: z.string().min(1).meta({ template: 'text' }),
    /** `responders` (everyone who acknowledged, clicked or spoke), or a list of user ids. */
    to: z.union([z.literal('responders'), z.array(z.string()).min(1)]).default('responders'),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/**
 * A private message to each responder (the hydrate reminder). With nobody responding yet, the
 * message goes to the incident channel instead, so a reminder is never silently dropped.
 */
export const directMessageBox: BoxType<Settings> = {
  type: 'direct-message',
  title: 'Direct message',
  description: 'Sends a private message to each responder (or named people); falls back to the incident channel when nobody has responded yet.',
  settings,
  outputs: ['next'],
  produces: ['sent'],
  async run(ctx) {
    const text = ctx.setting('text');
    const people = ctx.settings.to === 'responders' ? ctx.incident.responders : ctx.settings.to;
    const { chat } = ctx.services;
    if (people.length === 0) {
      const channel = await resolveTarget(ctx, 'incident');
      await chat.post(channel, { text, blocks: [{ type: 'text', text }] }, `${ctx.idempotencyKey}:channel`);
      await ctx.timeline({ kind: 'reminder', actor: 'sidekick', text: `No responders yet; posted to the channel: ${text}`, data: { to: [] } });
      return { done: { port: 'next', output: { sent: [] } } };
    }
    for (const person of people) {
      await chat.directMessage(person, { text, blocks: [{ type: 'text', text }] }, `${ctx.idempotencyKey}:${person}`);
    }
    await ctx.timeline({ kind: 'reminder', actor: 'sidekick', text: `Direct message to ${people.join(', ')}: ${text}`, data: { to: people } });
    return { done: { port: 'next', output: { sent: people } } };
  },
};
