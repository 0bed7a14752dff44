import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsConfigSchema } from '../../src/alerts/alerts-config.js';
import { replayDeadLetter } from '../../src/alerts/dead-letters.js';
import { acceptWebhook, type IntakeDeps } from '../../src/alerts/intake.js';
import type { Store } from '../../src/store/store.js';
import { example, fixtureBytes } from './fixtures.js';
import { openTestStore, postgresReachable } from './stores.js';

const PD_SECRET = 'pd-secret-for-tests';
const config = alertsConfigSchema.parse({
  dedupWindow: '5m',
  grouping: { by: ['service'] },
  sources: { pagerduty: { auth: { type: 'hmac', secret: PD_SECRET } } },
});
const dialects = ['sqlite', ...((await postgresReachable()) ? ['postgres' as const] : [])] as const;

describe.each(dialects)('alert intake on %s', (dialect) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let clock = Date.parse('2026-01-01T04:00:00.000Z');
  let seq = 0;
  const deps = (): IntakeDeps => ({
    store,
    config,
    now: () => new Date(clock),
    newId: () => `${dialect}-alert-${++seq}`,
    log: pino({ level: 'silent' }),
  });
  const post = (source: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    acceptWebhook({ source, rawBody: Buffer.from(body), headers: { 'content-type': 'application/json', ...headers }, allowUnauthenticated: true }, deps());

  beforeAll(async () => {
    ({ store, dispose } = await openTestStore(dialect, 'alert_intake'));
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('stores the MySQL example and queues its processing under its group key', async () => {
    const answer = await post('datadog', JSON.stringify(example('datadog-mysql-replication-lag.json')));
    expect(answer).toMatchObject({ status: 202, body: { accepted: 1, duplicates: 0 } });
    const [id] = answer.body.alerts as string[];
    const stored = await store.getAlert(id);
    expect(stored).toMatchObject({
      source: 'datadog',
      status: 'firing',
      title: 'MySQL replication lag is high on db-7',
      labels: { host: 'db-7.eu-west.example.com', port: '3306', service: 'mysql' },
    });
    expect(stored?.raw).toEqual(example('datadog-mysql-replication-lag.json'));
    const jobs = await store.claimJobs('test', 100, new Date(clock + 1000).toISOString(), new Date(clock + 60_000).toISOString());
    expect(jobs.find((job) => job.payload.alertId === id)).toMatchObject({ kind: 'alert', queue: 'service=mysql' });
    for (const job of jobs) await store.completeJob(job.id, 'test');
  });

  it('records a redelivered payload once, and a changed one again', async () => {
    const body = fixtureBytes('alertmanager/firing.json');
    const before = await store.countAlerts();
    expect((await post('alertmanager', body)).body).toMatchObject({ accepted: 1 });
    expect((await post('alertmanager', body)).body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await post('alertmanager', fixtureBytes('alertmanager/resolved.json'))).body).toMatchObject({ accepted: 1 });
    expect(await store.countAlerts()).toBe(before + 2);
  });

  it('drops a PagerDuty retry by its webhook id even after the content window', async () => {
    const body = fixtureBytes('pagerduty/triggered.json');
    const headers = { 'x-pagerduty-signature': `v1=${createHmac('sha256', PD_SECRET).update(body).digest('hex')}`, 'x-webhook-id': `whk-${dialect}` };
    expect((await post('pagerduty', body, headers)).body).toMatchObject({ accepted: 1 });
    clock += 3_600_000;
    expect((await post('pagerduty', body, headers)).body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await post('pagerduty', body, { ...headers, 'x-pagerduty-signature': 'v1=00' })).status).toBe(401);
  });

  it('keeps a storm with duplicates without losing any distinct alert', async () => {
    clock += 3_600_000;
    const before = await store.countAlerts();
    const group = (n: number) =>
      JSON.stringify({
        version: '4',
        status: 'firing',
        externalURL: 'http://127.0.0.1:9093',
        alerts: [{ status: 'firing', labels: { alertname: 'Storm', service: `svc-${n % 5}`, n: String(n) }, fingerprint: `storm${String(n).padStart(11, '0')}` }],
      });
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => post('alertmanager', group(i % 100))));
    expect(answers.every((answer) => answer.status === 202)).toBe(true);
    const accepted = answers.reduce((sum, answer) => sum + (answer.body.accepted as number), 0);
    const duplicates = answers.reduce((sum, answer) => sum + (answer.body.duplicates as number), 0);
    expect([accepted, duplicates]).toEqual([100, 200]);
    expect(await store.countAlerts()).toBe(before + 100);
  });

  it('keeps truncated JSON as a dead letter and replays it once fixed by hand', async () => {
    const truncated = fixtureBytes('generic/simple.json').subarray(0, 60);
    const answer = await post('generic', truncated, { authorization: 'Bearer not-kept' });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'ALERT_BAD_JSON' } } });
    const letters = await store.listDeadLetters();
    const letter = letters.find((l) => l.body === truncated.toString());
    expect(letter).toMatchObject({ source: 'generic', reason: expect.stringMatching(/^ALERT_BAD_JSON/) });
    expect(letter!.headers).not.toHaveProperty('authorization');
    expect(await replayDeadLetter(letter!.id, deps())).toMatchObject({ status: 400 });
    expect(await store.getDeadLetter(letter!.id)).toBeDefined();
  });

  it('replays an unmappable letter after the mapping is fixed, in one transaction', async () => {
    const body = JSON.stringify({ check: { id: `chk-${dialect}`, state: 'CRIT' } });
    expect((await post('generic', body)).status).toBe(422);
    const letter = (await store.listDeadLetters()).find((l) => l.body === body)!;
    const fixed = { ...deps(), config: alertsConfigSchema.parse({ sources: { generic: { mapping: { key: 'check.id', status: 'check.state', statusMap: { CRIT: 'firing' } } } } }) };
    const answer = await replayDeadLetter(letter.id, fixed);
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect(await store.getDeadLetter(letter.id)).toBeUndefined();
    expect(await store.getAlert((answer.body.alerts as string[])[0])).toMatchObject({ dedupKey: `chk-${dialect}`, status: 'firing' });
  });

  it('stores enormous label sets and unicode intact', async () => {
    const labels = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`l${i}`, `värde-${i}-🔥`]));
    const body = JSON.stringify({ key: `big-${dialect}`, title: '数据库 $(id) {{ x }}', labels });
    const answer = await post('generic', body);
    expect(answer.status).toBe(202);
    const stored = await store.getAlert((answer.body.alerts as string[])[0]);
    expect(Object.keys(stored!.labels)).toHaveLength(2000);
    expect(stored!.labels.l1999).toBe('värde-1999-🔥');
    expect(stored!.title).toBe('数据库 $(id) {{ x }}');
  });
});
