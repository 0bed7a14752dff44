import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../../runtime/create-runtime.js';
import { MAX_MOMENT_TEXT, MOMENT_KINDS } from '../../incidents/moment.js';
import { plainTextOfChat } from '../../report/chat-text.js';
import { MAX_UPDATE } from '../../chat/parse-slash-command.js';
import { HttpError } from '../http-error.js';
import { findIncident } from '../find-incident.js';
import { parseBody } from '../parse-body.js';
import { personOf } from '../register-auth.js';

const marked = z
  .object({
    kind: z.enum(MOMENT_KINDS),
    /** A message of the built-in room; or `text` alone for a moment typed straight in. */
    messageId: z.string().min(1).max(200).optional(),
    text: z.string().trim().min(1).max(MAX_MOMENT_TEXT).optional(),
  })
  .strict()
  .refine((body) => body.messageId || body.text, { message: 'give the messageId of a room message, or the text' });

const unmarked = z.object({ kind: z.enum(MOMENT_KINDS), messageId: z.string().min(1).max(200) }).strict();

/**
 * What people do to an incident from the room besides talking: mark decisions and key moments,
 * post a stakeholder update, write the report's summary.
 */
export function registerMomentRoutes(app: FastifyInstance, runtime: Runtime) {
  const { store, incidents } = runtime;
  const find = (id: string) => findIncident(store, id);
  /** A message of the room that belongs to this incident's channels (marks never reach across incidents). */
  const roomMessageOf = async (incidentChannels: string[], messageId: string) => {
    const message = await store.getRoomMessage(messageId);
    if (!message || !incidentChannels.includes(message.channel)) throw new HttpError(404, 'MESSAGE_NOT_FOUND', `no message "${messageId}" in this incident's channels`);
    return message;
  };

  app.get<{ Params: { id: string } }>('/api/incidents/:id/moments', async (request) => {
    const incident = await find(request.params.id);
    return { moments: await store.listMoments(incident.id) };
  });

  app.post<{ Params: { id: string } }>('/api/incidents/:id/moments', async (request, reply) => {
    const body = parseBody(marked, request.body);
    const incident = await find(request.params.id);
    const actor = personOf(request).name;
    if (!body.messageId) {
      return reply.code(201).send({ moment: await incidents.markMoment(incident.id, { kind: body.kind, text: body.text!, markedBy: actor }) });
    }
    const message = await roomMessageOf(
      incident.channels.map((c) => c.id),
      body.messageId,
    );
    const moment = await incidents.markMoment(incident.id, {
      kind: body.kind,
      text: plainTextOfChat(message.text),
      message: { adapter: 'room', channel: message.channel, id: message.id, author: message.userName, at: message.at },
      markedBy: actor,
    });
    return reply.code(201).send({ moment });
  });

  app.delete<{ Params: { id: string } }>('/api/incidents/:id/moments', async (request) => {
    const body = parseBody(unmarked, request.body);
    const incident = await find(request.params.id);
    const message = await roomMessageOf(
      incident.channels.map((c) => c.id),
      body.messageId,
    );
    const removed = await incidents.unmarkMoment(incident.id, {
      kind: body.kind,
      message: { adapter: 'room', channel: message.channel, id: message.id, author: message.userName, at: message.at },
      by: personOf(request).name,
    });
    return { removed: removed ?? null };
  });

  app.post<{ Params: { id: string } }>('/api/incidents/:id/updates', async (request, reply) => {
    const { text } = parseBody(z.object({ text: z.string().trim().min(1, 'write the update').max(MAX_UPDATE) }).strict(), request.body);
    const incident = await find(request.params.id);
    await incidents.postUpdate(incident.id, text, personOf(request).name);
    runtime.worker.wake();
    return reply.code(201).send({ ok: true });
  });

  app.put<{ Params: { id: string } }>('/api/incidents/:id/summary', async (request) => {
    const { text } = parseBody(z.object({ text: z.string().trim().max(5000) }).strict(), request.body);
    const incident = await find(request.params.id);
    const entry = await incidents.setSummary(incident.id, text, personOf(request).name);
    return { summary: text, at: entry.at };
  });
}
