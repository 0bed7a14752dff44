import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Sidekick's Prometheus metrics, one registry per runtime so tests and instances never share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sidekick_process_' });
  const alerts = new Counter({ name: 'sidekick_alerts_received_total', help: 'Webhook deliveries by source and outcome', labelNames: ['source', 'outcome'], registers: [registry] });
  const jobs = new Histogram({
    name: 'sidekick_job_duration_seconds',
    help: 'Durable jobs (alert grouping, box runs, events, digests) by kind and outcome',
    labelNames: ['kind', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  const boxes = new Histogram({
    name: 'sidekick_box_duration_seconds',
    help: 'One box run or resume, by box type and outcome (done, waiting, retry, failed)',
    labelNames: ['box', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  const calls = new Histogram({
    name: 'sidekick_external_call_duration_seconds',
    help: 'Calls to outside services (chat, meetings, issue tracker, graphs) by service, operation and outcome (ok, error)',
    labelNames: ['service', 'operation', 'outcome'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const incidentsOpen = new Gauge({ name: 'sidekick_incidents_open', help: 'Incidents not yet resolved', registers: [registry] });
  const queueDepth = new Gauge({ name: 'sidekick_queue_depth', help: 'Jobs waiting, leased and failed', labelNames: ['state'], registers: [registry] });
  const queueLag = new Gauge({ name: 'sidekick_queue_lag_seconds', help: 'Age of the oldest due job', registers: [registry] });
  return {
    registry,
    alerts,
    incidentsOpen,
    queueDepth,
    queueLag,
    observeJob(kind: string, outcome: string, ms: number) {
      jobs.labels(kind, outcome).observe(ms / 1000);
    },
    observeBox(box: string, outcome: string, ms: number) {
      boxes.labels(box, outcome).observe(ms / 1000);
    },
    observeCall(service: string, operation: string, outcome: string, ms: number) {
      calls.labels(service, operation, outcome).observe(ms / 1000);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
