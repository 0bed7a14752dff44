import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../../runtime/create-runtime.js';
import { findIncident } from '../find-incident.js';
import { parseBody } from '../parse-body.js';
import { personOf } from '../register-auth.js';

/**
 * The groups of alerts an incident holds, and splitting one out of an alert-storm incident.
 * Registered inside the authenticated scope with the other incident routes.
 */
export function registerIncidentGroupRoutes(app: FastifyInstance, runtime: Runtime) {
  const find = (id: string) => findIncident(runtime.store, id);

  app.get<{ Params: { id: string } }>('/api/incidents/:id/groups', async (request) => {
    const { limit } = parseBody(z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(200) }), request.query);
    const incident = await find(request.params.id);
    return { storm: incident.groupKey.startsWith('storm:'), groups: await runtime.incidents.listGroups(incident.id, limit) };
  });

  app.post<{ Params: { id: string } }>('/api/incidents/:id/split', async (request, reply) => {
    const { group } = parseBody(z.object({ group: z.string().min(1).max(2000) }).strict(), request.body);
    const storm = await find(request.params.id);
    const incident = await runtime.incidents.split(storm.id, group, personOf(request).name);
    runtime.worker.wake();
    return reply.code(201).send({ incident });
  });
}
