import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { TeamsActivity, ActivityAnswer } from './handle-teams-activity.js';
import { TeamsAuthError, type TeamsTokenVerifier } from './verify-teams-token.js';

/** Activities are small; a card action carrying its whole card stays far below this. */
const BODY_LIMIT = 256 * 1024;

const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    serviceUrl: z.url({ protocol: /^https?$/ }),
    id: z.string().max(512).optional(),
    channelId: z.string().max(64).optional(),
  })
  .loose();

/**
 * `POST /teams/messages`, the bot's messaging endpoint. Every activity's bearer token is checked
 * before anything is read from the activity: anything unverified gets 401 and changes nothing.
 */
export function registerTeamsRoutes(
  fastify: FastifyInstance,
  options: { verifier: TeamsTokenVerifier; handle: (activity: TeamsActivity) => Promise<ActivityAnswer>; log: Logger; path?: string },
): void {
  void fastify.register(async (scope) => {
    scope.post(options.path ?? '/teams/messages', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
      try {
        await options.verifier.verify(request.headers.authorization, { channelId: body.channelId, serviceUrl: body.serviceUrl });
      } catch (error) {
        const code = error instanceof TeamsAuthError ? error.code : 'TEAMS_AUTH_INVALID';
        options.log.warn({ code, ip: request.ip }, 'teams: activity refused');
        return reply.code(401).send({ error: code, message: error instanceof TeamsAuthError ? error.message : 'the token could not be verified' });
      }
      const parsed = activitySchema.safeParse(body);
      if (!parsed.success) {
        return reply
          .code(400)
          .send({ error: 'TEAMS_ACTIVITY_INVALID', message: `not a Bot Framework activity: ${parsed.error.issues[0]?.path.join('.') || 'body'} ${parsed.error.issues[0]?.message ?? ''}`.trim() });
      }
      try {
        const answer = await options.handle(parsed.data as unknown as TeamsActivity);
        return reply.code(answer.status).send(answer.body ?? '');
      } catch (error) {
        options.log.error({ code: (error as { code?: string }).code, err: (error as Error).message }, 'teams: activity failed');
        // 500 makes Teams redeliver; a click or a command is then tried once more.
        return reply.code(500).send({ error: 'TEAMS_ACTIVITY_FAILED', message: 'the activity could not be handled; Teams will retry' });
      }
    });
  });
}
