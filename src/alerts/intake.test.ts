import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../test/alerts/fixtures.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import type { Store } from '../store/store.js';
import { alertsConfigSchema, type AlertsConfigInput } from './alerts-config.js';
import { replayDeadLetter } from './dead-letters.js';
import { acceptWebhook, type IntakeDeps } from './intake.js';

const TOKEN = 'am-token-0123456789';
const PD_SECRET = 'pd-signing-secret';
const baseConfig: AlertsConfigInput = {
  maxBodyBytes: 4096,
  grouping: { by: ['service'] },
  sources: {
    alertmanager: { auth: { type: 'bearer', token: TOKEN } },
    pagerduty: { auth: { type: 'hmac', secret: PD_SECRET } },
    opsgenie: { enabled: false },
  },
};

/**
 * The real store (SQLite in memory, so the dedup rules are the store's own), with one fault to
 * inject: `failNext` makes the next alert insert or dead-letter write throw, as a database that is
 * down would. `inserts` counts the insert calls that reached the store; `grouped` keeps the group
 * key of each alert the store accepted (the store keeps it on the alert's queued job).
 */
async function openIntakeStore() {
  const real = openSqliteStore({ file: ':memory:' });
  await real.migrate();
  const state = { failNext: undefined as 'insert' | 'deadLetter' | undefined, inserts: 0, grouped: [] as string[] };
  const faulty = (inner: Store): Store =>
    Object.assign(Object.create(inner) as Store, {
      insertAlerts: async (...args: Parameters<Store['insertAlerts']>) => {
        if (state.failNext === 'insert') {
          state.failNext = undefined;
          throw new Error('SQLITE_BUSY: database is locked (password=hunter2 must not leak)');
        }
        state.inserts++;
        const result = await inner.insertAlerts(...args);
        const ids = new Set(result.inserted.map((alert) => alert.id));
        state.grouped.push(...args[0].filter((alert) => ids.has(alert.id)).map((alert) => alert.groupKey));
        return result;
      },
      addDeadLetter: async (...args: Parameters<Store['addDeadLetter']>) => {
        if (state.failNext === 'deadLetter') {
          state.failNext = undefined;
          throw new Error('disk full');
        }
        return inner.addDeadLetter(...args);
      },
      transaction: <T>(fn: (tx: Store) => Promise<T>) => inner.transaction((tx) => fn(faulty(tx))),
    });
  return {
    store: faulty(real),
    state,
    alerts: () => real.listAlerts({}),
    deadLetters: () => real.listDeadLetters(),
    hasDeadLetter: async (id: string) => (await real.getDeadLetter(id)) !== undefined,
    close: () => real.close(),
  };
}

let memory: Awaited<ReturnType<typeof openIntakeStore>>;
let logLines: string[];
let ids: number;
const depsWith = (config: AlertsConfigInput = baseConfig): IntakeDeps => ({
  store: memory.store,
  config: alertsConfigSchema.parse(config),
  now: () => new Date('2026-01-01T04:00:00.000Z'),
  newId: () => `alert-${++ids}`,
  log: pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) }),
});
const post = (source: string, rawBody: Buffer | string, headers: Record<string, string> = {}, options: { loopback?: boolean; deps?: IntakeDeps } = {}) =>
  acceptWebhook({ source, rawBody: Buffer.from(rawBody), headers: { 'content-type': 'application/json', ...headers }, allowUnauthenticated: options.loopback ?? false }, options.deps ?? depsWith());
const bearer = { authorization: `Bearer ${TOKEN}` };

afterEach(() => memory.close());

beforeEach(async () => {
  memory = await openIntakeStore();
  logLines = [];
  ids = 0;
});

describe('acceptWebhook', () => {
  it('stores a group and answers 202 with the new ids, grouped as Alertmanager grouped them', async () => {
    const answer = await post('alertmanager', fixtureBytes('alertmanager/mixed-group.json'), bearer);
    expect(answer).toEqual({ status: 202, body: { accepted: 2, duplicates: 0, alerts: ['alert-1', 'alert-2'] } });
    expect((await memory.alerts()).map((alert) => [alert.status, alert.receivedAt])).toEqual([
      ['firing', '2026-01-01T04:00:00.000Z'],
      ['resolved', '2026-01-01T04:00:00.000Z'],
    ]);
    expect(memory.state.grouped).toEqual(['alertmanager:group:{}:{alertname="NodeDown"}', 'alertmanager:group:{}:{alertname="NodeDown"}']);
  });

  it('answers 202 for a redelivery but records it once', async () => {
    await post('alertmanager', fixtureBytes('alertmanager/firing.json'), bearer);
    const again = await post('alertmanager', fixtureBytes('alertmanager/firing.json'), bearer);
    expect(again).toEqual({ status: 202, body: { accepted: 0, duplicates: 1, alerts: [] } });
    expect(await memory.alerts()).toHaveLength(1);
  });

  it('refuses an unknown source with 404 and a stable code', async () => {
    const answer = await post('nagios', '{}', {}, { loopback: true });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { code: 'ALERT_SOURCE_UNKNOWN', message: expect.stringMatching(/no alert source "nagios"; expected one of datadog/) } });
    expect((await post('__proto__', '{}', {}, { loopback: true })).status).toBe(404);
    expect((await post('x'.repeat(10_000), '{}', {}, { loopback: true })).body.error).toMatchObject({ message: expect.not.stringMatching(/x{100}/) });
  });

  it('refuses a disabled source with 404', async () => {
    const answer = await post('opsgenie', fixtureBytes('opsgenie/create.json'), {}, { loopback: true });
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'ALERT_SOURCE_DISABLED' } } });
  });

  it.each([
    ['a missing token', {}],
    ['a wrong token', { authorization: 'Bearer am-token-012345678' }],
    ['a longer token', { authorization: `Bearer ${TOKEN}0` }],
    ['another scheme', { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }],
  ])('answers 401 to %s, stores nothing and logs no secret', async (_name, headers) => {
    const answer = await post('alertmanager', fixtureBytes('alertmanager/firing.json'), headers, { loopback: true });
    expect(answer).toMatchObject({ status: 401, body: { error: { code: 'ALERT_AUTH_FAILED' } } });
    expect(await memory.alerts()).toHaveLength(0);
    expect((await memory.deadLetters()).length).toBe(0);
    expect(logLines.join('')).not.toContain(TOKEN.slice(0, 12));
    expect(JSON.stringify(answer)).not.toContain(TOKEN.slice(0, 12));
  });

  it('accepts a source without credentials only on a loopback bind', async () => {
    const body = fixtureBytes('datadog/default-triggered.json');
    expect((await post('datadog', body, {}, { loopback: false })).body).toMatchObject({ error: { code: 'ALERT_AUTH_FAILED', message: expect.stringMatching(/loopback/) } });
    expect((await post('datadog', body, {}, { loopback: true })).status).toBe(202);
  });

  it('verifies PagerDuty signatures and drops a retried delivery by its X-Webhook-Id', async () => {
    const body = fixtureBytes('pagerduty/triggered.json');
    const signature = `v1=${createHmac('sha256', PD_SECRET).update(body).digest('hex')}`;
    const headers = { 'x-pagerduty-signature': signature, 'x-webhook-id': 'whk-42' };
    expect((await post('pagerduty', body, headers)).body).toMatchObject({ accepted: 1 });
    // The same delivery again, long after the content window: still one alert.
    const later = depsWith({ ...baseConfig, dedupWindow: '1s' });
    later.now = () => new Date('2026-01-02T00:00:00.000Z');
    expect((await post('pagerduty', body, headers, { deps: later })).body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await post('pagerduty', body, { ...headers, 'x-pagerduty-signature': `v1=${'0'.repeat(64)}` })).status).toBe(401);
    expect(await memory.alerts()).toHaveLength(1);
  });

  it('answers 202 with nothing accepted for deliveries that carry no alert', async () => {
    const body = fixtureBytes('pagerduty/ping.json');
    const signature = `v1=${createHmac('sha256', PD_SECRET).update(body).digest('hex')}`;
    expect(await post('pagerduty', body, { 'x-pagerduty-signature': signature })).toEqual({ status: 202, body: { accepted: 0, duplicates: 0, alerts: [] } });
    expect(memory.state.inserts).toBe(0);
  });

  it('refuses a body over maxBodyBytes with 413 before reading it', async () => {
    const answer = await post('generic', `{"title":"${'x'.repeat(5000)}"}`, {}, { loopback: true });
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'ALERT_BODY_TOO_LARGE', message: expect.stringMatching(/at most 4096/) } } });
    expect((await memory.deadLetters()).length).toBe(0);
  });

  it('answers 400 to truncated JSON and keeps it as a dead letter without credentials', async () => {
    const truncated = fixtureBytes('alertmanager/firing.json').subarray(0, 200);
    const answer = await post('alertmanager', truncated, { ...bearer, 'x-request-id': 'r1', cookie: 'session=abc' });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'ALERT_BAD_JSON', message: expect.stringMatching(/not valid JSON/) } } });
    const [letter] = await memory.deadLetters();
    expect(letter).toMatchObject({ source: 'alertmanager', body: truncated.toString(), reason: expect.stringMatching(/^ALERT_BAD_JSON: /) });
    expect(letter.headers).toEqual({ 'content-type': 'application/json', 'x-request-id': 'r1' });
    expect(await memory.alerts()).toHaveLength(0);
  });

  it('answers 422 to JSON the source cannot map, and keeps it', async () => {
    const answer = await post('alertmanager', '{"hello":"world"}', bearer);
    expect(answer).toMatchObject({ status: 422, body: { error: { code: 'ALERT_UNMAPPABLE', message: expect.stringMatching(/"alerts" array/) } } });
    expect((await memory.deadLetters()).length).toBe(1);
  });

  it('answers 503 when the store fails, so the monitor retries, and logs no secret', async () => {
    memory.state.failNext = 'insert';
    const answer = await post('alertmanager', fixtureBytes('alertmanager/firing.json'), bearer);
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'ALERT_STORE_FAILED' } } });
    expect(logLines.join('')).not.toContain(TOKEN);
    expect((await post('alertmanager', fixtureBytes('alertmanager/firing.json'), bearer)).status).toBe(202);
  });

  it('answers 503 when a dead letter cannot be kept', async () => {
    memory.state.failNext = 'deadLetter';
    expect((await post('generic', 'nope', {}, { loopback: true })).body).toMatchObject({ error: { code: 'ALERT_STORE_FAILED' } });
  });

  it('answers 500 on anything unexpected and never throws', async () => {
    const deps = depsWith();
    deps.newId = () => {
      throw new Error('boom');
    };
    const answer = await post('alertmanager', fixtureBytes('alertmanager/firing.json'), bearer, { deps });
    expect(answer).toMatchObject({ status: 500, body: { error: { code: 'ALERT_INTERNAL' } } });
    expect(logLines.some((line) => line.includes('boom'))).toBe(true);
    expect(logLines.join('')).not.toContain(TOKEN);
  });

  it('keeps hostile payloads as inert data', async () => {
    const answer = await post('alertmanager', fixtureBytes('alertmanager/hostile.json'), bearer);
    expect(answer.status).toBe(202);
    expect((await memory.alerts())[0].labels['{{ x }}']).toBe('{% include "/etc/passwd" %}');
  });

  it('groups alerts that share grouping labels across sources', async () => {
    await post('generic', JSON.stringify({ key: 'a', labels: { service: 'mysql' } }), {}, { loopback: true });
    await post('generic', JSON.stringify({ key: 'b', labels: { service: 'mysql' } }), {}, { loopback: true });
    expect(memory.state.grouped).toEqual(['service=mysql', 'service=mysql']);
  });
});

describe('replayDeadLetter', () => {
  it('replays a letter once the mapping is fixed, and deletes it', async () => {
    const body = JSON.stringify({ check: { id: 'chk-1', state: 'CRIT', name: 'Queue backlog' } });
    expect((await post('generic', body, {}, { loopback: true })).status).toBe(422);
    const [letter] = await memory.deadLetters();

    // Still unmappable with the same config: kept.
    expect(await replayDeadLetter(letter.id, depsWith())).toMatchObject({ status: 422 });
    expect(await memory.hasDeadLetter(letter.id)).toBe(true);

    const fixed = depsWith({ ...baseConfig, sources: { generic: { mapping: { key: 'check.id', title: 'check.name', status: 'check.state', statusMap: { CRIT: 'firing' } } } } });
    const answer = await replayDeadLetter(letter.id, fixed);
    expect(answer).toEqual({ status: 200, body: { replayed: letter.id, accepted: 1, duplicates: 0, alerts: ['alert-1'] } });
    expect((await memory.alerts())[0]).toMatchObject({ dedupKey: 'chk-1', title: 'Queue backlog', receivedAt: '2026-01-01T04:00:00.000Z' });
    expect((await memory.deadLetters()).length).toBe(0);
  });

  it('keeps the letter when storing fails', async () => {
    await post('generic', '{"status":"firing"}', {}, { loopback: true });
    const [letter] = await memory.deadLetters();
    memory.state.failNext = 'insert';
    const answer = await replayDeadLetter(letter.id, depsWith({ sources: { generic: { mapping: { key: 'status' } } } }));
    expect(answer.status).toBe(500);
    expect(await memory.hasDeadLetter(letter.id)).toBe(true);
  });

  it('answers 404 for an unknown letter', async () => {
    expect(await replayDeadLetter('nope', depsWith())).toMatchObject({ status: 404, body: { error: { code: 'ALERT_DEAD_LETTER_UNKNOWN' } } });
  });
});
