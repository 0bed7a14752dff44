import { z } from 'zod';
import type { BoxContext, BoxResult, BoxType } from './box-type.js';
import type { ChatBlock } from '../chat/chat.js';
import { durationSchema, parseDuration } from '../util/duration.js';
import { resolveTarget } from './chat-target.js';

const settings = z
  .object({
    /** The reminder (a template, chat text). */
    text: z.string().min(1).meta({ template: 'text' }),
    /** First reminder after this long, then again every `every`. */
    after: durationSchema.default('30m'),
    every: durationSchema.default('30m'),
    /** Snooze buttons offered with each reminder. */
    snooze: z.array(durationSchema).max(5).default(['15m', '1h']),
    /** After this long on the incident, the reminder also suggests handing off to someone fresh. */
    handoffAfter: durationSchema.default('4h'),
    /** How many reminders at most. */
    times: z.number().int().min(1).max(100).default(12),
  })
  .strict();

type Settings = z.infer<typeof settings>;

interface RemindState {
  sent: number;
  next: string;
}

/**
 * Looks after the humans: a private reminder to each responder (breathe, drink water, post an
 * update) after a while and then periodically, with snooze buttons; after `handoffAfter` it
 * suggests handing off. Ends when the incident resolves. Each reminder's time is a row, not a timer.
 */
export const remindBox: BoxType<Settings> = {
  type: 'remind',
  title: 'Remind responders',
  description: 'Privately reminds each responder after a while and then periodically (snooze buttons, hand-off suggestion); stops when the incident resolves.',
  settings,
  outputs: ['next'],
  produces: ['sent'],
  async run(ctx) {
    const next = later(ctx, ctx.settings.after);
    return { wait: { until: next, event: 'resolved', state: { sent: 0, next } satisfies RemindState } };
  },
  async resume(ctx, event): Promise<BoxResult> {
    const state = { ...(ctx.state as RemindState) };
    if (event.kind === 'incident') return { done: { port: 'next', output: { sent: state.sent } } };
    if (event.kind === 'click') {
      const snooze = event.choice.startsWith('snooze:') ? event.choice.slice(7) : undefined;
      if (!snooze || !ctx.settings.snooze.includes(snooze)) return { wait: { until: state.next, event: 'resolved', state } };
      state.next = later(ctx, snooze);
      await ctx.timeline({ kind: 'reminder', actor: event.userName, text: `${event.userName} snoozed reminders for ${snooze}`, data: { snooze } });
      return { wait: { until: state.next, event: 'resolved', state } };
    }
    await sendReminder(ctx, state.sent);
    state.sent += 1;
    if (state.sent >= ctx.settings.times) return { done: { port: 'next', output: { sent: state.sent } } };
    state.next = later(ctx, ctx.settings.every);
    return { wait: { until: state.next, event: 'resolved', state } };
  },
};

async function sendReminder(ctx: BoxContext<Settings>, sent: number): Promise<void> {
  const text = ctx.setting('text');
  const elapsedMs = ctx.now().getTime() - new Date(ctx.incident.createdAt).getTime();
  const lines = [text];
  if (elapsedMs >= parseDuration(ctx.settings.handoffAfter)) {
    const hours = Math.floor(elapsedMs / 3_600_000);
    lines.push(`You have been on this for ${hours} hour${hours === 1 ? '' : 's'}. Consider handing off to a fresh responder: a rested mind finds what a tired one misses.`);
  }
  const body = lines.join('\n');
  const blocks: ChatBlock[] = [
    { type: 'text', text: body },
    { type: 'buttons', buttons: ctx.settings.snooze.map((snooze) => ({ label: `Snooze ${snooze}`, value: ctx.buttonValue(`snooze:${snooze}`) })) },
  ];
  const people = ctx.incident.responders;
  const key = `${ctx.idempotencyKey}:${sent}`;
  if (people.length === 0) {
    const channel = await resolveTarget(ctx, 'incident');
    await ctx.services.chat.post(channel, { text: body, blocks }, `${key}:channel`);
  }
  for (const person of people) await ctx.services.chat.directMessage(person, { text: body, blocks }, `${key}:${person}`);
  await ctx.timeline({
    kind: 'reminder',
    actor: 'sidekick',
    text: people.length ? `Reminded ${people.join(', ')}: ${text}` : `No responders yet; reminded the channel: ${text}`,
    data: { to: people, count: sent + 1 },
  });
}

function later(ctx: BoxContext<Settings>, span: string): string {
  return new Date(ctx.now().getTime() + parseDuration(span)).toISOString();
}
