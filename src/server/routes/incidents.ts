import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../../runtime/create-runtime.js';
import { INCIDENT_ROLES, INCIDENT_STATUSES } from '../../incidents/incident.js';
import { computeTimings } from '../../report/timings.js';
import { namedPerson } from '../name-person.js';
import { SEVERITIES } from '../../alerts/alert.js';
import { findIncident } from '../find-incident.js';
import { parseBody } from '../parse-body.js';
import { fileReport } from '../../trackers/file-report.js';
import type { IncidentDetail, IncidentList } from '../api-types.js';
import { personOf } from '../register-auth.js';

const listQuery = z.object({
  status: z.enum(['open', ...INCIDENT_STATUSES]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Incidents: list, one with its timeline and conversation, declare, status, severity, report. */
export function registerIncidentRoutes(app: FastifyInstance, runtime: Runtime) {
  const { store } = runtime;
  const find = (id: string) => findIncident(store, id);

  app.get('/api/incidents', async (request) => {
    const query = parseBody(listQuery, request.query);
    return { incidents: await store.listIncidents(query) } satisfies IncidentList;
  });

  app.get<{ Params: { id: string } }>('/api/incidents/:id', async (request) => {
    const incident = await find(request.params.id);
    const [timeline, alerts, runs, tasks, moments, followUps] = await Promise.all([
      store.listTimeline(incident.id),
      store.listAlerts({ incidentId: incident.id, limit: 1000 }),
      store.listRuns({ incidentId: incident.id }),
      store.listTasks({ incidentId: incident.id }),
      store.listMoments(incident.id),
      store.listFollowUps(incident.id),
    ]);
    const roomChannels = incident.channels.filter((channel) => channel.adapter === 'room');
    const messages = (await Promise.all(roomChannels.map((channel) => store.listRoomMessages({ channel: channel.id, limit: 5000 })))).flat();
    messages.sort((a, b) => a.seq - b.seq);
    return {
      incident,
      // MTTA (acknowledgeMs), time to mitigate and to resolve, as the report computes them.
      timings: computeTimings(incident, timeline, alerts),
      timeline,
      messages,
      alerts,
      moments,
      followUps,
      runs: runs.map((run) => ({ id: run.id, flowId: run.flowId, status: run.status, createdAt: run.createdAt })),
      tasks: tasks.map((task) => ({ id: task.id, runId: task.runId, boxId: task.boxId, status: task.status, port: task.port })),
    } satisfies IncidentDetail;
  });

  app.post('/api/incidents', async (request, reply) => {
    const body = parseBody(z.object({ title: z.string().min(1).max(300), severity: z.enum(SEVERITIES).optional() }).strict(), request.body);
    const incident = await runtime.incidents.declare({ ...body, actor: personOf(request).name });
    runtime.worker.wake();
    return reply.code(201).send({ incident });
  });

  app.post<{ Params: { id: string } }>('/api/incidents/:id/status', async (request) => {
    const { status } = parseBody(z.object({ status: z.enum(INCIDENT_STATUSES) }).strict(), request.body);
    const incident = await runtime.incidents.setStatus((await find(request.params.id)).id, status, personOf(request).name);
    runtime.worker.wake();
    return { incident };
  });

  app.post<{ Params: { id: string } }>('/api/incidents/:id/severity', async (request) => {
    const { severity } = parseBody(z.object({ severity: z.enum(SEVERITIES) }).strict(), request.body);
    return { incident: await runtime.incidents.setSeverity((await find(request.params.id)).id, severity, personOf(request).name) };
  });

  app.post<{ Params: { id: string } }>('/api/incidents/:id/ack', async (request) => {
    const { incident, already } = await runtime.incidents.acknowledge((await find(request.params.id)).id, personOf(request), 'the web UI');
    return { incident, already };
  });

  app.post<{ Params: { id: string } }>('/api/incidents/:id/roles', async (request) => {
    const body = parseBody(
      z.object({ role: z.enum(INCIDENT_ROLES), user: z.string().min(1).max(200).optional(), name: z.string().min(1).max(200).optional(), clear: z.boolean().optional() }).strict(),
      request.body,
    );
    const me = personOf(request);
    const holder = body.clear ? undefined : body.user || body.name ? await namedPerson(runtime, body.user, body.name) : me;
    return { incident: await runtime.incidents.assignRole((await find(request.params.id)).id, body.role, holder, me.name) };
  });

  app.get<{ Params: { id: string } }>('/api/incidents/:id/report', async (request, reply) => {
    const incident = await find(request.params.id);
    const markdown = await runtime.services.renderReport(incident.id);
    return reply.type('text/markdown; charset=utf-8').send(markdown);
  });

  app.post<{ Params: { id: string } }>('/api/incidents/:id/report', async (request) => {
    const incident = await find(request.params.id);
    const { services } = runtime;
    const result = await fileReport({
      tracker: services.tracker,
      store: services.store,
      incident,
      title: `[INC-${incident.number}] ${incident.title}`,
      labels: ['incident'],
      publicUrl: services.publicUrl,
      now: () => services.clock.now(),
      render: () => services.renderReport(incident.id),
    });
    const [issue] = result.filed;
    if (issue) await runtime.incidents.update(incident.id, { issue });
    if (result.failures.length > 0 && !issue) throw result.failures[0].error;
    return { issue, issues: result.filed, failures: result.failures.map((f) => ({ tracker: f.tracker, transient: f.transient, message: f.error.message })) };
  });
}
