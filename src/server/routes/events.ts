import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../runtime/create-runtime.js';
import type { LiveEventMap } from '../../util/live-events.js';

const KINDS: (keyof LiveEventMap)[] = ['message', 'message-updated', 'timeline', 'incident'];

/** `GET /api/events`: server-sent events for live views. A comment every 15 s keeps proxies from closing it. */
export function registerEventRoutes(app: FastifyInstance, runtime: Runtime) {
  app.get('/api/events', (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(': connected\n\n');
    const listeners = KINDS.map((kind) => {
      const listener = (data: unknown) => raw.write(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
      runtime.live.on(kind, listener as never);
      return [kind, listener] as const;
    });
    const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      for (const [kind, listener] of listeners) runtime.live.off(kind, listener as never);
    });
  });
}
