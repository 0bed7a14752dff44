import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';
import { fixtureBytes } from './fixtures.js';

const PD_SECRET = 'pd-http-secret';
const OG_TOKEN = 'og-http-token';
const CATCH_ALL = `
id: catch-all
name: Catch all
trigger:
  on: alert
boxes:
  - id: note
    type: post
    text: "{{ alert.title }}"
`;
const examplePath = (name: string) => `../../../examples/alerts/${name}`;

/** Each monitor's firing, update and resolve payloads, over real HTTP, into incidents. */
const SOURCES: { source: string; fire: string; update?: string; resolve: string; title: RegExp }[] = [
  { source: 'datadog', fire: examplePath('datadog-mysql-replication-lag.json'), resolve: examplePath('datadog-mysql-replication-recovered.json'), title: /MySQL replication lag/ },
  { source: 'alertmanager', fire: 'alertmanager/firing.json', resolve: 'alertmanager/resolved.json', title: /NodeDown on node-1/ },
  { source: 'grafana', fire: 'grafana/firing.json', resolve: 'grafana/resolved.json', title: /CPU above 90%/ },
  { source: 'pagerduty', fire: 'pagerduty/triggered.json', update: 'pagerduty/acknowledged.json', resolve: 'pagerduty/resolved.json', title: /Checkout API error rate/ },
  { source: 'opsgenie', fire: 'opsgenie/create.json', update: 'opsgenie/acknowledge.json', resolve: 'opsgenie/close.json', title: /Disk \/data 95% full/ },
  { source: 'generic', fire: 'generic/simple.json', resolve: 'generic/resolved.json', title: /Backup failed/ },
];

describe('POST /webhooks/<source> over HTTP', () => {
  let sidekick: TestSidekick;

  beforeAll(async () => {
    sidekick = await startTestSidekick({
      flows: { 'catch-all.yaml': CATCH_ALL },
      env: { PD_SECRET, OG_TOKEN },
      yaml: [
        'alerts:',
        '  maxBodyBytes: 65536',
        '  sources:',
        '    pagerduty:',
        '      auth: { type: hmac, secret: "${PD_SECRET}" }',
        '    opsgenie:',
        '      auth: { type: header, name: X-Sidekick-Token, value: "${OG_TOKEN}" }',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await sidekick?.close();
  });

  const send = (source: string, file: string, extra: Record<string, string> = {}) => {
    const body = fixtureBytes(file).toString('utf8');
    const headers: Record<string, string> = { ...extra };
    if (source === 'pagerduty') headers['x-pagerduty-signature'] = `v1=${createHmac('sha256', PD_SECRET).update(body).digest('hex')}`;
    if (source === 'opsgenie') headers['x-sidekick-token'] = OG_TOKEN;
    return sidekick.post(`/webhooks/${source}`, body, headers);
  };
  const incidentTitled = (title: RegExp) =>
    sidekick.until(async () => {
      const { body } = await sidekick.get('/api/incidents?limit=100');
      return body.incidents.find((incident: { title: string }) => title.test(incident.title));
    });

  it.each(SOURCES)('$source opens, updates and resolves an incident', async ({ source, fire, update, resolve, title }) => {
    const fired = await send(source, fire);
    expect(fired).toMatchObject({ status: 202, body: { accepted: 1, duplicates: 0 } });
    const opened = await incidentTitled(title);
    expect(opened.status).not.toBe('resolved');

    if (update) {
      expect((await send(source, update)).body).toMatchObject({ accepted: 1 });
      await sidekick.until(async () => (await sidekick.get(`/api/incidents/${opened.id}`)).body.alerts?.length >= 2);
    }
    expect((await send(source, resolve)).body).toMatchObject({ accepted: 1 });
    const resolved = await sidekick.until(async () => {
      const { body } = await sidekick.get(`/api/incidents/${opened.id}`);
      return body.incident?.status === 'resolved' ? body : undefined;
    });
    expect(resolved.alerts.map((alert: { status: string }) => alert.status)).toContain('resolved');
    const { body } = await sidekick.get('/api/incidents?limit=100');
    expect(body.incidents.filter((incident: { title: string }) => title.test(incident.title))).toHaveLength(1);
  });

  it('answers 401 to a wrong PagerDuty signature and 404 to an unknown source', async () => {
    const wrong = await sidekick.post('/webhooks/pagerduty', fixtureBytes('pagerduty/triggered.json').toString(), { 'x-pagerduty-signature': `v1=${'ab'.repeat(32)}` });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'ALERT_AUTH_FAILED' } } });
    expect((await sidekick.post('/webhooks/nagios', '{}')).status).toBe(404);
  });

  it('answers 400 to truncated JSON and 413 to an oversize body, and keeps serving', async () => {
    const bad = await sidekick.post('/webhooks/generic', '{"key":"x","title":');
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'ALERT_BAD_JSON' } } });
    const huge = await sidekick.post('/webhooks/generic', JSON.stringify({ key: 'big', title: 'x'.repeat(70_000) }));
    expect(huge.status).toBe(413);
    expect((await sidekick.get('/healthz')).status).toBe(200);
  });
});
