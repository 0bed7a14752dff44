import { z } from 'zod';
import type { BoxType } from './box-type.js';

const settings = z
  .object({
    /** Channel name (a template); made valid for the chat platform by the adapter. */
    name: z.string().default('inc-{{ incident.number }}-{{ incident.title | slugify }}').meta({ template: 'plain' }),
    topic: z.string().default('{{ incident.title }} · {{ incident.severity }} · {{ incident.status }}').meta({ template: 'plain' }),
    /** User ids or handles to invite. */
    invite: z.array(z.string()).default([]),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** Opens a dedicated channel for the incident; later posts to `incident` go there. */
export const openChannelBox: BoxType<Settings> = {
  type: 'open-channel',
  title: 'Open channel',
  description: 'Opens a dedicated channel for this incident, sets its topic and invites people.',
  settings,
  outputs: ['next'],
  produces: ['channel_id', 'channel_name', 'url'],
  async run(ctx) {
    const name = ctx.setting('name');
    const opened = await ctx.services.chat.openChannel({ name, topic: ctx.setting('topic'), members: ctx.settings.invite }, ctx.idempotencyKey);
    // It replaces an earlier incident channel of this chat; the others stay.
    const adapter = ctx.services.chat.name;
    await ctx.services.incidents.addChannels(ctx.incident.id, [{ adapter, id: opened.id, name: opened.name, role: 'incident', url: opened.url }], { adapter, role: 'incident' });
    await ctx.timeline({ kind: 'box', actor: 'sidekick', text: `Opened channel #${opened.name}`, data: { channel: opened.id } });
    return { done: { port: 'next', output: { channel_id: opened.id, channel_name: opened.name, url: opened.url } } };
  },
};
