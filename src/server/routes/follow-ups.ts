import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../../runtime/create-runtime.js';
import { MAX_FOLLOW_UP_TEXT } from '../../incidents/follow-up.js';
import { findIncident } from '../find-incident.js';
import { parseBody } from '../parse-body.js';
import { personOf } from '../register-auth.js';

/** Blank after trimming is no text: a follow-up of spaces would file an issue with no title. */
const text = z.string().trim().min(1, 'write what needs doing').max(MAX_FOLLOW_UP_TEXT);
const ownerName = z.string().trim().min(1).max(80);

const newFollowUp = z
  .object({
    text,
    /** A display name (`alice`, `@alice`) or a name with the chat user id. */
    owner: z.union([ownerName, z.object({ name: ownerName, userId: z.string().min(1).max(100).optional() }).strict()]).optional(),
  })
  .strict();

/** An incident's follow-ups (action items): list and add. */
export function registerFollowUpRoutes(app: FastifyInstance, runtime: Runtime) {
  const find = (id: string) => findIncident(runtime.store, id);

  app.get<{ Params: { id: string } }>('/api/incidents/:id/follow-ups', async (request) => {
    const incident = await find(request.params.id);
    return { followUps: await runtime.store.listFollowUps(incident.id) };
  });

  app.post<{ Params: { id: string } }>('/api/incidents/:id/follow-ups', async (request, reply) => {
    const body = parseBody(newFollowUp, request.body);
    const incident = await find(request.params.id);
    const owner = typeof body.owner === 'string' ? { name: body.owner.replace(/^@/, '') } : body.owner;
    const followUp = await runtime.incidents.addFollowUp(incident.id, { text: body.text, owner, actor: personOf(request).name });
    return reply.code(201).send({ followUp });
  });
}
