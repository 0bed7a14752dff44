import { z } from 'zod';
import type { BoxType } from './box-type.js';
import type { ChatBlock } from '../chat/chat.js';
import { resolveTarget } from './chat-target.js';
import { ackButton } from '../incidents/ack-button.js';
import type { AckMessageRecord } from '../incidents/update-ack-message.js';

const settings = z
  .object({
    /** Message text (a template, escaped for chat). */
    text: z.string().min(1, 'a post needs text').meta({ template: 'text' }),
    /** `incident` (default), a `#channel`, or several: the same message goes to each. */
    channel: z.union([z.string(), z.array(z.string()).min(1)]).default('incident'),
    /** Optional heading shown above the text. */
    header: z.string().optional().meta({ template: 'text' }),
    /** Links shown as buttons-like links under the text (label → URL template). */
    links: z.record(z.string(), z.string().meta({ template: 'plain' })).optional(),
    /** Adds an *Acknowledge* button (the incident's first message): a click records who acknowledged, for MTTA. */
    acknowledge: z.boolean().default(false),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** Posts a message to the incident's channel or to named channels (e.g. other teams'). */
export const postBox: BoxType<Settings> = {
  type: 'post',
  title: 'Post message',
  description: 'Posts a message to the incident channel, or to named channels such as other teams\u2019.',
  settings,
  outputs: ['next'],
  produces: ['text', 'message_id', 'messages'],
  async run(ctx) {
    const text = ctx.setting('text');
    const blocks: ChatBlock[] = [];
    if (ctx.settings.header) blocks.push({ type: 'header', text: ctx.setting('header') });
    blocks.push({ type: 'text', text });
    for (const [label, url] of Object.entries(ctx.settings.links ?? {})) {
      blocks.push({ type: 'link', label, url: ctx.render(url, 'plain').text });
    }
    // Remembered on the timeline so that the button can be replaced by who acknowledged (update-ack-message.ts).
    const acknowledge: AckMessageRecord | undefined = ctx.settings.acknowledge && !ctx.incident.acknowledgedBy ? { adapter: ctx.services.chat.name, blocks: [...blocks] } : undefined;
    if (acknowledge) blocks.push({ type: 'buttons', buttons: [ackButton(ctx.services.signer, ctx.incident.id)] });
    const targets = Array.isArray(ctx.settings.channel) ? ctx.settings.channel : [ctx.settings.channel];
    const posted = [];
    const named: { id: string; name: string }[] = [];
    for (const target of targets) {
      const name = ctx.render(target, 'plain').text;
      const channel = await resolveTarget(ctx, name);
      if (name && name !== 'incident') named.push({ id: channel, name: name.replace(/^#/, '') });
      // A plain post: while its channel is paced, it may go out folded with the incident's other waiting posts.
      const buttons = blocks.some((block) => block.type === 'buttons');
      const message = await ctx.services.chat.post(channel, { text, blocks, ...(buttons ? {} : { foldWith: ctx.incident.id }) }, `${ctx.idempotencyKey}:${channel}`);
      posted.push(message);
      await ctx.timeline({ kind: 'message', actor: 'sidekick', text, data: { channel, messageId: message.id, box: ctx.box.id, ...(acknowledge ? { acknowledge } : {}) } });
    }
    await rememberBroadcastChannels(ctx, named);
    if (acknowledge) await catchUpAcknowledgement(ctx);
    return { done: { port: 'next', output: { text, messages: posted, message_id: posted[0]?.id } } };
  },
};

/**
 * Someone may have acknowledged while the button was being posted: the `acknowledged` job of that
 * acknowledgement then ran before this message was on the timeline and could not replace its
 * button. Asked after the message's line is written, one of the two always sees the other, so
 * the button never outlives the acknowledgement (the job rewrites every button message, once).
 */
async function catchUpAcknowledgement(ctx: Parameters<typeof postBox.run>[0]) {
  const { store, clock } = ctx.services;
  const incident = await store.getIncident(ctx.incident.id);
  if (!incident?.acknowledgedBy) return;
  await store.enqueue({
    kind: 'acknowledged',
    payload: { incidentId: incident.id },
    runAt: clock.now().toISOString(),
    queue: `incident:${incident.id}`,
    uniqueKey: `acknowledged:${incident.id}:${ctx.idempotencyKey}`,
  });
}

/** Channels that heard about the incident also hear its stakeholder updates (`/sidekick update`). */
async function rememberBroadcastChannels(ctx: Parameters<typeof postBox.run>[0], named: { id: string; name: string }[]) {
  const adapter = ctx.services.chat.name;
  const known = new Set(ctx.incident.channels.filter((c) => c.adapter === adapter).map((c) => c.id));
  const fresh = named.filter((channel) => !known.has(channel.id));
  // A channel the box's incident lists already costs nothing more.
  if (fresh.length === 0) return;
  // Unique per channel in the store, so two branches posting at once both stay remembered.
  await ctx.services.incidents.recordChannels(
    ctx.incident,
    fresh.map((channel) => ({ adapter, id: channel.id, name: channel.name, role: 'broadcast' as const })),
  );
}
