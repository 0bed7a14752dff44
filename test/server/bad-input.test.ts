import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

/** Bad input gets a clear 4xx and never takes the process down. */
describe('HTTP contract and bad input', () => {
  let sidekick: TestSidekick;
  beforeAll(async () => {
    sidekick = await startTestSidekick({ yaml: 'alerts:\n  maxBodyBytes: 2048\n' });
  });
  afterAll(async () => sidekick?.close());

  it('answers health and readiness', async () => {
    expect(await sidekick.get('/healthz')).toEqual({ status: 200, body: { ok: true } });
    expect((await sidekick.get('/readyz')).body).toMatchObject({ ok: true, database: 'ok' });
    const metrics = await fetch(`${sidekick.url}/metrics`);
    expect(await metrics.text()).toContain('sidekick_incidents_open');
  });

  it('rejects bad JSON with 400 and a message, and keeps it as a dead letter', async () => {
    const response = await sidekick.post('/webhooks/generic', '{"title": "truncated');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('ALERT_BAD_JSON');
    expect(response.body.error.message.length).toBeGreaterThan(10);
    const letters = await sidekick.runtime.store.listDeadLetters();
    expect(letters.some((letter) => letter.body.includes('truncated'))).toBe(true);
  });

  it('rejects an oversize body with 413', async () => {
    const response = await sidekick.post('/webhooks/generic', JSON.stringify({ key: 'k', title: 'x'.repeat(10_000) }));
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('ALERT_BODY_TOO_LARGE');
  });

  it('answers an unknown source with 404 and says which exist', async () => {
    const response = await sidekick.post('/webhooks/nagios', '{}');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('ALERT_SOURCE_UNKNOWN');
    expect(response.body.error.message).toContain('datadog');
  });

  it('validates API bodies and ids, with the field named', async () => {
    const missing = await sidekick.post('/api/incidents', { severity: 'apocalyptic' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/title|severity/);
    expect((await sidekick.get('/api/incidents/does-not-exist')).status).toBe(404);
    expect((await sidekick.post('/api/incidents/does-not-exist/status', { status: 'resolved' })).status).toBe(404);
    expect((await sidekick.post('/api/room/click', { value: 'x'.repeat(5000) })).status).toBe(400);
    expect((await sidekick.get('/api/room/messages?channel=nope')).status).toBe(404);
    expect((await sidekick.post('/api/incidents', 'not json at all')).status).toBe(400);
  });

  it('declares an incident by hand, changes its status and severity, and lists it with its timeline', async () => {
    const created = await sidekick.post('/api/incidents', { title: 'Checkout is slow <script>alert(1)</script>', severity: 'high' }, { 'x-sidekick-user': 'bob' });
    expect(created.status).toBe(201);
    const id = created.body.incident.id;
    expect((await sidekick.post(`/api/incidents/${id}/severity`, { severity: 'critical' })).body.incident.severity).toBe('critical');
    expect((await sidekick.post(`/api/incidents/${id}/status`, { status: 'mitigated' })).body.incident.status).toBe('mitigated');
    const detail = (await sidekick.get(`/api/incidents/${id}`)).body;
    expect(detail.timeline.map((e: any) => e.kind)).toEqual(expect.arrayContaining(['declared', 'severity', 'status']));
    expect(detail.timeline.find((e: any) => e.kind === 'declared').actor).toBe('bob');
  });

  it('survives a burst of hostile requests and still serves', async () => {
    const hostile = ['', 'null', '{"__proto__": {"polluted": true}}', '\u0000\u0001', '{"a":'.repeat(5000), '"just a string"'];
    const answers = await Promise.all(hostile.map((body) => sidekick.post('/webhooks/generic', body)));
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.body.error.message.length).toBeGreaterThan(5);
    }
    // An empty batch is not an error: nothing to record.
    expect(await sidekick.post('/webhooks/generic', '[]')).toMatchObject({ status: 202, body: { accepted: 0 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await sidekick.get('/healthz')).status).toBe(200);
  });
});
