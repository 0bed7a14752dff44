import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, postgresReachable, prepareInstances, startInstance, stopInstance, uniqueSchema, until, type FaultSetup, type Instance } from './fault-kit.js';

const reachable = await postgresReachable('database connections lost during an alert storm');

/**
 * 1,000 by default so the test stays under a minute on a busy shared CI machine (2,000 took 30 s
 * on a 2-core box at load 9 without any fault); FAULTS_STORM_ALERTS=2000 runs the full storm.
 */
const ALERTS = Number(process.env.FAULTS_STORM_ALERTS ?? 1000);
const KEYS = 200;
const CONCURRENCY = 32;
const REQUEST_TIMEOUT_MS = 5_000;
/** Every connection is cut this many times, this far apart: each cut is one short "restart" of the database. */
const BLIPS = 5;
const BLIP_EVERY_MS = 3000;
/** The storm (sending and retrying) gives up here, so a hung instance fails the test with evidence instead of a timeout. */
const STORM_DEADLINE_MS = 40_000;
const STORM_ONLY = process.env.FAULTS_NO_KILL === '1';

const stormFlow = `id: storm
trigger: { on: alert }
boxes:
  - { id: hello, type: post, channel: "#storm", text: "Opened {{ incident.title }}" }
`;

interface Delivery {
  seq: number;
  statuses: number[];
}

/**
 * The database "restarting" while 2,000 alerts over 200 keys arrive at two instances. The test
 * server is shared, so instead of restarting it we terminate every connection Sidekick holds
 * (found by application_name, which is our schema's name) five times, three seconds apart: to the instances it looks
 * the same as a restart — every pooled connection dies mid-query and new ones must be opened.
 */
describe.skipIf(!reachable)('database connections lost during an alert storm (two instances)', () => {
  let setup: FaultSetup;
  const instances: Instance[] = [];
  /** Instances that died during the storm (restarted by the test, as systemd or Kubernetes would). */
  const crashes: string[] = [];
  let supervising = true;

  /** Keeps slot `index` running: a dead instance is replaced, like a process supervisor would. */
  function supervise(index: number, instance: Instance): void {
    instances[index] = instance;
    void instance.exited.then(async (code) => {
      if (!supervising) return;
      crashes.push(`instance ${index} (pid ${instance.child.pid}) exited ${code}: ${/error: [^\n]*/.exec(instance.output())?.[0] ?? instance.output().slice(-300)}`);
      for (let attempt = 0; attempt < 20 && supervising; attempt++) {
        try {
          return supervise(index, await startInstance(setup.configPath));
        } catch (error) {
          crashes.push(`instance ${index} failed to start: ${(error as Error).message.slice(0, 200)}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    });
  }

  beforeAll(async () => {
    setup = prepareInstances({
      schema: uniqueSchema('faults_storm'),
      flows: { 'storm.yaml': stormFlow },
      // 200 keys must open 200 incidents here: the storm guard (alert-storm.test.ts) is off.
      extraYaml: 'alerts: { grouping: { storm: { maxNewIncidents: 0 } } }\n',
    });
    const started = await Promise.all([startInstance(setup.configPath), startInstance(setup.configPath)]);
    started.forEach((instance, index) => supervise(index, instance));
  }, 60_000);
  afterAll(async () => {
    supervising = false;
    await Promise.all(instances.map((instance) => stopInstance(instance)));
    if (setup) {
      await dropSchema(setup.schema);
      setup.remove();
    }
  });

  it('stores every alert answered 2xx exactly once, stores retried 5xx deliveries once, and handles them all', async () => {
    let terminated = 0;
    let storming = true;
    const killer = (async () => {
      for (let blip = 0; blip < BLIPS && storming && !STORM_ONLY; blip++) {
        await new Promise((r) => setTimeout(r, blip === 0 ? 500 : BLIP_EVERY_MS));
        const rows = await adminQuery<{ killed: boolean }>(`select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()`, [
          setup.schema,
        ]).catch(() => []);
        terminated += rows.filter((row) => row.killed).length;
      }
    })();

    const deliveries: Delivery[] = Array.from({ length: ALERTS }, (_, seq) => ({ seq, statuses: [] }));
    let next = 0;
    const stormDeadline = Date.now() + STORM_DEADLINE_MS;
    const send = async (delivery: Delivery) => {
      const key = delivery.seq % KEYS;
      // Hostile-ish content: quotes, markup and a NUL in the title must not break storing.
      const body = JSON.stringify({
        key: `svc-${key}`,
        title: `Storm ${key} <b>"quoted"</b>\u0000`,
        status: 'firing',
        deliveryId: `storm-${delivery.seq}`,
        labels: { seq: String(delivery.seq) },
      });
      for (let attempt = 0; Date.now() < stormDeadline; attempt++) {
        const target = instances[(delivery.seq + attempt) % instances.length]!;
        let status: number;
        try {
          // A bounded wait: an answer that never comes is recorded as status -1.
          const response = await fetch(`${target.url}/webhooks/generic`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          status = response.status;
          await response.arrayBuffer();
        } catch (error) {
          // A reset connection (0) or no answer in time (-1): retry like a monitor would.
          status = (error as Error).name === 'TimeoutError' ? -1 : 0;
        }
        delivery.statuses.push(status);
        if (status >= 200 && status < 300) return;
        if (status >= 400 && status < 500) return; // not retried: a refusal, asserted on below
        await new Promise((r) => setTimeout(r, Math.min(1000, 50 * (attempt + 1))));
      }
    };
    const stormStarted = Date.now();
    const progress = setInterval(() => console.info(`storm: ${next} sent, ${terminated} connections terminated, ${Date.now() - stormStarted} ms`), 2000);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < deliveries.length && Date.now() < stormDeadline) await send(deliveries[next++]!);
      }),
    );
    clearInterval(progress);
    storming = false;
    await killer;
    // The database is steady again: the supervisor may still be bringing an instance back.
    await until(async () => instances.every((instance) => instance.child.exitCode === null && instance.child.signalCode === null), 20_000, 'both instances up');

    const refusedFor5xx = deliveries.filter((d) => d.statuses.some((s) => s >= 500 || s <= 0));
    console.info(
      `storm: ${ALERTS} alerts, ${deliveries.filter((d) => d.statuses.some((x) => x >= 200 && x < 300)).length} accepted, ${terminated} connections terminated, ${refusedFor5xx.length} deliveries answered 5xx/reset at least once and retried, ${crashes.length} instance crashes`,
      crashes.slice(0, 3),
    );
    // The fault really happened.
    expect(terminated).toBeGreaterThan(0);
    // Deliveries never accepted before the storm's deadline (while instances were down) are not
    // owed to anyone: the monitor still holds them. Every accepted one is owed exactly once.
    const accepted = deliveries.filter((d) => d.statuses.some((status) => status >= 200 && status < 300));
    const refused = deliveries.filter((d) => d.statuses.some((status) => status >= 400 && status < 500));
    expect(refused.map((d) => ({ seq: d.seq, statuses: d.statuses }))).toEqual([]);
    // Alone on the machine every delivery is accepted before the deadline (by a restarted
    // instance if need be); beside other suites the deadline may cut the tail of the storm. Those
    // never-accepted deliveries are still held by their sender; the claim is about accepted ones.
    expect(accepted.length).toBeGreaterThanOrEqual(ALERTS / 2);
    const unsent = deliveries.filter((d) => d.statuses.length === 0).length;
    expect(deliveries.filter((d) => !accepted.includes(d) && d.statuses.length > 0 && d.statuses.every((x) => x >= 500 || x <= 0)).length + unsent + accepted.length).toBe(ALERTS);

    const rows = await adminQuery<{ seq: string; n: string }>(`select (labels::json)->>'seq' as seq, count(*) as n from "${setup.schema}".alerts group by 1`);
    const stored = new Map(rows.map((row) => [Number(row.seq), Number(row.n)]));
    const missing = accepted.filter((d) => !stored.has(d.seq)).map((d) => d.seq);
    const doubled = [...stored].filter(([, n]) => n !== 1);
    expect(missing).toEqual([]);
    expect(doubled).toEqual([]);
    // An alert answered 5xx may have been committed anyway (the answer was lost): stored at most once.
    expect(stored.size).toBeGreaterThanOrEqual(accepted.length);
    expect(stored.size).toBeLessThanOrEqual(ALERTS);
    const keys = new Set([...stored.keys()].map((seq) => seq % KEYS)).size;

    // And handled, once the database is steady: 200 incidents, every alert grouped, one post each.
    await until(
      async () => {
        const [pending] = await adminQuery<{ n: string }>(`select count(*) as n from "${setup.schema}".alerts where incident_id is null`);
        return Number(pending!.n) === 0;
      },
      // Jobs that failed on a cut connection come back with backoff (2 s, 4 s, 8 s…).
      90_000,
      'every alert grouped into an incident',
    ).catch(async (error) => {
      throw new Error(`${(error as Error).message}; ${await jobsLeft(setup.schema)}`);
    });
    const [incidents] = await adminQuery<{ n: string; keys: string }>(`select count(*) as n, count(distinct group_key) as keys from "${setup.schema}".incidents`);
    expect(Number(incidents!.n)).toBe(keys);
    expect(Number(incidents!.keys)).toBe(keys);
    await until(
      async () => {
        const [posts] = await adminQuery<{ n: string }>(`select count(*) as n from "${setup.schema}".room_messages where from_bot = 1`);
        return Number(posts!.n) >= keys;
      },
      30_000,
      'one post per incident',
    ).catch(async (error) => {
      throw new Error(`${(error as Error).message}; ${await jobsLeft(setup.schema)}`);
    });
    const posts = await adminQuery<{ text: string; n: string }>(`select text, count(*) as n from "${setup.schema}".room_messages group by text having count(*) > 1`);
    expect(posts).toEqual([]);
    const [failed] = await adminQuery<{ n: string }>(`select count(*) as n from "${setup.schema}".jobs where failed <> 0`);
    expect(Number(failed!.n)).toBe(0);
    // An instance exiting on a terminated connection was a bug (fixed: every pg client has an
    // error listener). The supervisor above restarts one so that the checks above still say
    // something about the data, but the crash itself fails the test.
    expect(crashes).toEqual([]);
  }, 200_000);
});

/** The jobs still in the table, most-tried first: what a stuck run waits on. */
async function jobsLeft(schema: string): Promise<string> {
  const rows = await adminQuery(
    `select id, kind, queue, attempts, failed, left(last_error, 120) as error, run_at, lease_owner, lease_until, (extract(epoch from now()) * 1000)::bigint as now from "${schema}".jobs order by attempts desc, id limit 8`,
  );
  const [count] = await adminQuery<{ n: string }>(`select count(*) as n from "${schema}".jobs`);
  return `${count?.n} jobs left, e.g. ${JSON.stringify(rows)}`;
}
