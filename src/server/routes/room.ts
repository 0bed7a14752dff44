import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../../runtime/create-runtime.js';
import { HttpError } from '../http-error.js';
import { findIncident } from '../find-incident.js';
import { parseBody } from '../parse-body.js';
import { personOf } from '../register-auth.js';
import { findPersonByLogin } from '../name-person.js';
import { escapeChatText } from '../../templates/render.js';
import { runSlashCommand } from '../../chat/run-slash-command.js';
import type { RoomChannelList, RoomMessageList } from '../api-types.js';

/** The built-in incident room: read channels and messages, speak, click buttons. */
export function registerRoomRoutes(app: FastifyInstance, runtime: Runtime) {
  const { store } = runtime;
  const room = runtime.providers.room;

  app.get('/api/room/channels', async () => {
    const [channels, open] = await Promise.all([store.listRoomChannels(), store.listIncidents({ status: 'open', limit: 500 })]);
    return {
      channels: channels.map((channel) => ({
        ...channel,
        incidentId: open.find((incident) => incident.channels.some((c) => c.adapter === 'room' && c.id === channel.id))?.id,
      })),
    } satisfies RoomChannelList;
  });

  app.get('/api/room/messages', async (request) => {
    const query = parseBody(z.object({ channel: z.string().min(1), after: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(5000).default(1000) }), request.query);
    const channel = await store.getRoomChannel(query.channel);
    if (!channel) throw new HttpError(404, 'CHANNEL_NOT_FOUND', `no channel "${query.channel}"`);
    return { messages: await store.listRoomMessages({ channel: channel.id, afterSeq: query.after, limit: query.limit }) } satisfies RoomMessageList;
  });

  app.post('/api/room/messages', async (request, reply) => {
    const body = parseBody(z.object({ channel: z.string().min(1), text: z.string().min(1).max(40_000), threadId: z.string().optional() }).strict(), request.body);
    const channel = await store.getRoomChannel(body.channel);
    if (!channel) throw new HttpError(404, 'CHANNEL_NOT_FOUND', `no channel "${body.channel}"`);
    const person = personOf(request);
    const name = person.name;
    if (/^\/sidekick(\s|$)/.test(body.text)) {
      // The same commands as Slack's `/sidekick`, through the same handler; the answer is posted
      // in the room by Sidekick (the room has no private replies) and the command is not chat.
      const answer = await runSlashCommand(runtime.incidents, {
        text: body.text.slice('/sidekick'.length),
        channelId: channel.id,
        userId: person.userId,
        actor: name,
        via: 'the room',
        findPerson: (login) => findPersonByLogin(runtime, login),
      });
      const posted = await room.post(channel.id, { text: answer, blocks: [{ type: 'text', text: answer }] }, `command:${runtime.services.newId()}`);
      runtime.worker.wake();
      return reply.code(200).send({ command: true, reply: answer, messageId: posted.id });
    }
    // People's words are stored as written and escaped like chat text, so they cannot forge markup.
    const text = escapeChatText(body.text);
    const message = await room.say({ channel: channel.id, text, threadId: body.threadId, userId: person.userId, userName: name });
    await runtime.inbound.onMessage({ channel: channel.id, userId: message.userId, userName: name, text, id: message.id, threadId: body.threadId, at: message.at });
    return reply.code(201).send({ message });
  });

  // An incident with no channel in the room yet (declared while no flow opens one, or before its
  // flow got there): the first thing someone types opens it, so the room can always be spoken in.
  app.post<{ Params: { id: string } }>('/api/incidents/:id/room-channel', async (request, reply) => {
    const incident = await findIncident(store, request.params.id);
    const own = incident.channels.find((channel) => channel.adapter === 'room' && channel.role === 'incident');
    if (own) return { channel: own };
    const opened = await room.openChannel({ name: `inc-${incident.number}-room`, topic: incident.title }, `room-channel:${incident.id}`);
    const channel = { adapter: 'room', id: opened.id, name: opened.name, role: 'incident' as const, url: opened.url };
    // A flow may be adding its own channels meanwhile: channels are rows with unique keys, so this adds beside them.
    await runtime.incidents.addChannels(incident.id, [channel]);
    return reply.code(201).send({ channel });
  });

  app.post('/api/room/click', async (request, reply) => {
    const { value } = parseBody(z.object({ value: z.string().min(1).max(2000) }).strict(), request.body);
    const person = personOf(request);
    const name = person.name;
    const outcome = await runtime.inbound.click(value, { userId: person.userId, userName: name, messageId: '' });
    if (outcome === 'invalid') throw new HttpError(400, 'CLICK_INVALID', 'this button is not one Sidekick made');
    if (outcome === 'stale') throw new HttpError(409, 'CLICK_STALE', 'this question was already answered');
    return reply.code(202).send({ ok: true });
  });
}
