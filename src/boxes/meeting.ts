import { z } from 'zod';
import type { BoxType } from './box-type.js';
import { incidentChannel } from './chat-target.js';
import { isRetryable } from '../errors/is-retryable.js';

/** Runs of the box that retry a transient provider failure (1 s, then 2 s later) before falling back. */
const PROVIDER_RETRIES = 2;

const settings = z
  .object({
    /** Meeting topic (a template). `title` is the box's own display title, like every box's. */
    topic: z.string().default('INC-{{ incident.number }}: {{ incident.title }}').meta({ template: 'plain' }),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/**
 * Creates a video meeting with the configured provider (Jitsi by default, Zoom when configured).
 * A transient provider failure (429, 5xx, no answer) is retried like any other, durably, twice;
 * then, or at once for a permanent failure, it falls back to a Jitsi link and says so on the
 * timeline: a meeting link at 4 am matters more than which vendor hosts it. Later boxes read
 * `boxes.<id>.join_url`.
 */
export const meetingBox: BoxType<Settings> = {
  type: 'meeting',
  title: 'Meeting',
  description: 'Creates a video meeting (Jitsi by default, Zoom when configured); outputs join_url.',
  settings,
  outputs: ['next'],
  produces: ['join_url', 'provider', 'id'],
  async run(ctx) {
    const request = { title: ctx.setting('topic'), incidentId: ctx.incident.id };
    const { meetings, fallbackMeetings } = ctx.services;
    let meeting;
    try {
      meeting = await meetings.create(request, ctx.idempotencyKey);
    } catch (error) {
      if (meetings === fallbackMeetings) throw error;
      if (isRetryable(error) && (ctx.task?.attempts ?? 0) < PROVIDER_RETRIES) throw error;
      await ctx.timeline({
        kind: 'failure',
        actor: 'sidekick',
        text: `${meetings.name} meeting could not be created (${(error as Error).message}); using ${fallbackMeetings.name} instead`,
        data: { service: meetings.name },
      });
      meeting = await fallbackMeetings.create(request, ctx.idempotencyKey);
    }
    await ctx.services.incidents.update(ctx.incident.id, {
      meeting: { provider: meeting.provider, joinUrl: meeting.joinUrl, id: meeting.id },
    });
    await ctx.timeline({ kind: 'meeting', actor: 'sidekick', text: `Meeting ready: ${meeting.joinUrl}`, data: { ...meeting } });
    const channel = incidentChannel(ctx);
    if (channel?.role === 'incident' && ctx.services.chat.bookmark) {
      // A bookmark keeps the link one click away however far the conversation scrolls; nice to have, never fatal.
      await ctx.services.chat
        .bookmark(channel.id, 'Incident meeting', meeting.joinUrl)
        .catch((error: Error) => ctx.services.log.warn({ err: error.message, incidentId: ctx.incident.id }, 'could not bookmark the meeting link'));
    }
    return { done: { port: 'next', output: { join_url: meeting.joinUrl, provider: meeting.provider, id: meeting.id } } };
  },
};
