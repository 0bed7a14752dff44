import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../runtime/create-runtime.js';

/** Liveness, readiness (with a database round trip) and Prometheus metrics. */
export function registerHealthRoutes(app: FastifyInstance, runtime: Runtime) {
  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await runtime.store.ping();
      return { ok: true, database: 'ok' };
    } catch (error) {
      return reply.code(503).send({ ok: false, database: (error as Error).message });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    const { metrics, store } = runtime;
    try {
      const [open, jobs] = await Promise.all([store.countIncidents({ status: 'open' }), store.countJobs()]);
      metrics.incidentsOpen.set(open);
      metrics.queueDepth.labels('ready').set(jobs.ready);
      metrics.queueDepth.labels('leased').set(jobs.leased);
      metrics.queueDepth.labels('failed').set(jobs.failed);
      metrics.queueLag.set(jobs.oldestDueAt ? Math.max(0, (Date.now() - new Date(jobs.oldestDueAt).getTime()) / 1000) : 0);
    } catch {
      // Metrics from the process still help when the database is down.
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
