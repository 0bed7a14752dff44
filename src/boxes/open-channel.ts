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
    const adapter = ctx.services.chat.name;
    // One incident, one channel in each chat: one already open for it (opened on demand in the
    // built-in room before this box ran, or by another flow's box) is used, never doubled.
    const open = ctx.incident.channels.find((channel) => channel.adapter === adapter && channel.role === 'incident');
    if (open) {
      await ctx.timeline({ kind: 'box', actor: 'sidekick', text: `Using channel #${open.name}, already open for this incident`, data: { channel: open.id } });
      return { done: { port: 'next', output: { channel_id: open.id, channel_name: open.name, url: open.url } } };
    }
    const name = ctx.setting('name');
    const opened = await ctx.services.chat.openChannel({ name, topic: ctx.setting('topic'), members: ctx.settings.invite }, ctx.idempotencyKey);
    // Should another channel have been recorded meanwhile, this one replaces it as the incident's; the others stay.
    await ctx.services.incidents.addChannels(ctx.incident.id, [{ adapter, id: opened.id, name: opened.name, role: 'incident', url: opened.url }], { adapter, role: 'incident' });
    await ctx.timeline({ kind: 'box', actor: 'sidekick', text: `Opened channel #${opened.name}`, data: { channel: opened.id } });
    return { done: { port: 'next', output: { channel_id: opened.id, channel_name: opened.name, url: opened.url } } };
  },
};
