import { z } from 'zod';
import type { BoxContext, BoxResult, BoxType } from './box-type.js';
import { durationSchema, parseDuration } from '../util/duration.js';
import { resolveTarget } from './chat-target.js';

const settings = z
  .object({
    /** Remind when no stakeholder update was posted for this long. */
    every: durationSchema.default('30m'),
    text: z.string().default('⏰ Time for a stakeholder update? Nothing was posted for a while. (`/sidekick update <what changed>`)').meta({ template: 'text' }),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/**
 * Keeps stakeholders informed: when nobody has posted a stakeholder update (`/sidekick update`,
 * the web UI) for `every`, it reminds the incident channel; a fresh update pushes the next reminder
 * back. Ends when the incident resolves.
 */
export const statusReminderBox: BoxType<Settings> = {
  type: 'status-reminder',
  title: 'Status-update reminder',
  description: 'Reminds the incident channel to post a stakeholder update when none was posted for a while; stops when the incident resolves.',
  settings,
  outputs: ['next'],
  produces: ['sent'],
  async run(ctx) {
    return waitUntil(ctx.now().getTime() + parseDuration(ctx.settings.every), 0);
  },
  async resume(ctx, event): Promise<BoxResult> {
    const { sent } = (ctx.state ?? { sent: 0 }) as { sent: number };
    if (event.kind === 'incident') return { done: { port: 'next', output: { sent } } };
    const every = parseDuration(ctx.settings.every);
    const lastUpdate = await lastUpdateAt(ctx);
    const quietSince = Math.max(lastUpdate ?? 0, new Date(ctx.incident.createdAt).getTime());
    const now = ctx.now().getTime();
    if (now - quietSince < every) return waitUntil(quietSince + every, sent);
    const text = ctx.setting('text');
    const channel = await resolveTarget(ctx, 'incident');
    await ctx.services.chat.post(channel, { text, blocks: [{ type: 'text', text }] }, `${ctx.idempotencyKey}:${sent}`);
    await ctx.timeline({ kind: 'reminder', actor: 'sidekick', text: 'Reminded the channel to post a stakeholder update', data: { count: sent + 1 } });
    return waitUntil(now + every, sent + 1);
  },
};

function waitUntil(at: number, sent: number): BoxResult {
  return { wait: { until: new Date(at).toISOString(), event: 'resolved', state: { sent } } };
}

async function lastUpdateAt(ctx: BoxContext<Settings>): Promise<number | undefined> {
  const timeline = await ctx.services.store.listTimeline(ctx.incident.id);
  const updates = timeline.filter((entry) => entry.kind === 'update' || (entry.kind === 'note' && entry.data?.update === true));
  const last = updates[updates.length - 1];
  return last ? new Date(last.at).getTime() : undefined;
}
