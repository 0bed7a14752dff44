import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds: our own work is mostly milliseconds; a slow box or job runs to tens of seconds. */
const WORK_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];
/** Seconds: calls over the network, from a quick local answer to a slow vendor. */
const CALL_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Sidekick's Prometheus metrics, one registry per runtime so tests and instances never share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sidekick_process_' });
  const alerts = new Counter({ name: 'sidekick_alerts_received_total', help: 'Webhook deliveries by source and outcome', labelNames: ['source', 'outcome'], registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) => new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] });
  const jobs = histogram('sidekick_job_duration_seconds', 'Durable jobs (alert grouping, box runs, events, digests) by kind and outcome', ['kind', 'outcome'], WORK_BUCKETS);
  const boxes = histogram('sidekick_box_duration_seconds', 'One box run or resume, by box type and outcome (done, waiting, retry, failed)', ['box', 'outcome'], WORK_BUCKETS);
  const calls = histogram(
    'sidekick_external_call_duration_seconds',
    'Calls to outside services (chat, meetings, issue tracker, graphs) by service, operation and outcome (ok, error)',
    ['service', 'operation', 'outcome'],
    CALL_BUCKETS,
  );
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
