import type { FastifyReply, FastifyRequest } from 'fastify';
import { toSidekickError } from '../errors/to-sidekick-error.js';
import { errorBody } from './http-error.js';

/**
 * The server's error handler: every refusal answers from the error's own fields (`code`,
 * `status`, message), the catalogue (src/errors/error-catalogue.ts) giving each code its status.
 * A 5xx is logged and answered without its message, which may name internals.
 */
export function answerError(raw: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const error = toSidekickError(raw);
  if (error.status < 500) return reply.code(error.status).send(errorBody(error.code, error.message));
  request.log.error({ err: raw, url: request.url.split('?')[0] }, 'request failed');
  return reply.code(500).send(errorBody('INTERNAL', 'something went wrong inside Sidekick; the log says what'));
}
