import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

const FLOW_WITHOUT_SAMPLE = 'id: no-sample\ntrigger:\n  on: alert\nboxes:\n  - id: say\n    type: post\n    text: hello\n';

/** Every input error of every API route is a 4xx with a code and a message, never a 500. */
describe('bad input to every API route', { timeout: 120_000 }, () => {
  let sidekick: TestSidekick;
  let incidentId: string;
  let channel: string;
  beforeAll(async () => {
    sidekick = await startTestSidekick();
    const created = await sidekick.post('/api/incidents', { title: 'Bad input target' });
    incidentId = created.body.incident.id;
    channel = (await sidekick.runtime.providers.room.openChannel({ name: 'bad-input' }, 'bad-input-channel')).id;
  });
  afterAll(async () => sidekick?.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sidekick.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, body: parsed };
  };

  const expectClientError = (answer: { status: number; body: any }, what: string, code?: string) => {
    expect(answer.status, `${what}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(answer.status, what).toBeLessThan(500);
    expect(typeof answer.body?.error?.code, what).toBe('string');
    expect(String(answer.body?.error?.message).length, what).toBeGreaterThan(5);
    if (code) expect(answer.body.error.code, what).toBe(code);
  };

  it('simulate: a flow with no sample and no alert is a 400 that says what to pass', async () => {
    const answer = await call('POST', '/api/flows/simulate', { yaml: FLOW_WITHOUT_SAMPLE });
    expectClientError(answer, 'no sample', 'SIMULATE_NO_ALERT');
    expect(answer.body.error.message).toMatch(/alert/);
  });

  it('simulate: an unknown alert source, an unmappable payload, a sample that cannot be read', async () => {
    expectClientError(await call('POST', '/api/flows/simulate', { yaml: FLOW_WITHOUT_SAMPLE, alert: { source: 'nagios', payload: {} } }), 'unknown source', 'SIMULATE_ALERT_SOURCE_UNKNOWN');
    expectClientError(await call('POST', '/api/flows/simulate', { yaml: FLOW_WITHOUT_SAMPLE, alert: { source: 'datadog', payload: 'just a string' } }), 'unmappable', 'SIMULATE_ALERT_INVALID');
    expectClientError(
      await call('POST', '/api/flows/simulate', { yaml: FLOW_WITHOUT_SAMPLE, alert: { source: 'generic', payload: [{ nothing: 1 }] } }),
      'generic unmappable',
      'SIMULATE_ALERT_INVALID',
    );
    const missingSample = FLOW_WITHOUT_SAMPLE.replace('trigger:', 'sample:\n  source: generic\n  file: does-not-exist.json\ntrigger:');
    const answer = await call('POST', '/api/flows/simulate', { yaml: missingSample });
    // The flow check reports the unreadable sample as a problem, or the simulation refuses: never a 500.
    expect(answer.status).toBeLessThan(500);
  });

  it('template preview: a payload its source cannot map is a 422, not a 500', async () => {
    expectClientError(await call('POST', '/api/templates/preview', { template: '{{ alert.title }}', source: 'datadog', payload: 'x' }), 'preview datadog', 'ALERT_UNMAPPABLE');
    expectClientError(await call('POST', '/api/templates/preview', { template: '{{ alert.title }}', source: 'pagerduty', payload: { event: 1 } }), 'preview pagerduty', 'ALERT_UNMAPPABLE');
    expectClientError(await call('POST', '/api/templates/preview', { template: 'x', source: 'nagios', payload: {} }), 'preview unknown source', 'ALERT_SOURCE_UNKNOWN');
  });

  it('answers hostile bodies, queries and ids on every route with a 4xx (or a success), never a 5xx', async () => {
    const bodies: unknown[] = [
      undefined,
      '',
      'null',
      '[]',
      '"text"',
      '0',
      '{}',
      '{"__proto__":{"polluted":true}}',
      '{"a":'.repeat(2000),
      { yaml: 5 },
      { yaml: '' },
      { yaml: ':\n  - [' },
      { template: 5 },
      { title: ['x'] },
      { value: {} },
      { channel: 5, text: 'x' },
      { status: 'nope' },
      { password: 1 },
    ];
    const routes: [string, string][] = [
      ['POST', '/api/incidents'],
      ['POST', `/api/incidents/${incidentId}/status`],
      ['POST', `/api/incidents/${incidentId}/severity`],
      ['POST', '/api/incidents/%00/status'],
      ['POST', '/api/room/messages'],
      ['POST', '/api/room/click'],
      ['PUT', '/api/flows/x'],
      ['PUT', '/api/flows/..%2F..%2Fetc'],
      ['DELETE', '/api/flows/..%2F..%2Fetc'],
      ['POST', '/api/flows/validate'],
      ['POST', '/api/flows/simulate'],
      ['POST', '/api/templates/preview'],
      ['POST', '/api/login'],
    ];
    const fives: string[] = [];
    for (const [method, path] of routes) {
      for (const body of bodies) {
        const answer = await call(method, path, body);
        if (answer.status >= 500) fives.push(`${method} ${path} ${JSON.stringify(body)?.slice(0, 40)} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
      }
    }
    const gets = [
      '/api/incidents?limit=abc',
      '/api/incidents?limit=-1&offset=x',
      '/api/incidents?status=nope',
      '/api/incidents?status[]=open',
      '/api/incidents/%00',
      `/api/incidents/${'x'.repeat(5000)}`,
      '/api/incidents/nope/report',
      '/api/room/messages',
      `/api/room/messages?channel=${channel}&after=-5`,
      `/api/room/messages?channel=${channel}&limit=99999`,
      '/api/flows/%2E%2E',
      '/api/flows/a%2Fb',
      '/api/playbooks/nope',
      '/api/playbooks/disk-filling?sample=nope',
      '/api/playbooks/disk-filling?sample=a&sample=b',
    ];
    for (const path of gets) {
      const answer = await call('GET', path);
      if (answer.status >= 500) fives.push(`GET ${path} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
      else if (answer.status >= 400) expectClientError(answer, `GET ${path.slice(0, 60)}`);
    }
    // A click on a message in a thread that does not exist, a message to a thread that does not.
    for (const body of [
      { channel, text: 'hi', threadId: 'no-such-thread' },
      { channel, text: 'hi', threadId: '' },
    ]) {
      const answer = await call('POST', '/api/room/messages', body);
      if (answer.status >= 500) fives.push(`POST /api/room/messages ${JSON.stringify(body)} → ${answer.status}`);
    }
    expect(fives).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await call('GET', '/healthz')).status).toBe(200);
  });
});

describe('flow samples sent through the API', () => {
  let sidekick: TestSidekick;
  beforeAll(async () => {
    sidekick = await startTestSidekick();
  });
  afterAll(async () => sidekick?.close());

  it('are read only from a flow folder or the bundled examples, and never quote the file', async () => {
    const outside = FLOW_WITHOUT_SAMPLE.replace('trigger:', 'sample:\n  source: generic\n  file: /etc/passwd\ntrigger:');
    for (const route of ['/api/flows/validate', '/api/flows/simulate']) {
      const answer = await sidekick.post(route, { yaml: outside });
      expect(answer.status, route).toBeLessThan(500);
      const problem = answer.body.problems.find((p: { code: string }) => p.code === 'FLOW_SAMPLE');
      expect(problem?.message, route).toMatch(/flow folder or in the bundled examples/);
      expect(JSON.stringify(answer.body), route).not.toContain('root:');
    }
    // A bundled example's sample still works.
    const bundled = await sidekick.post('/api/flows/validate', { yaml: FLOW_WITHOUT_SAMPLE.replace('trigger:', 'sample:\n  source: datadog\n  file: ../alerts/datadog-disk-full.json\ntrigger:') });
    expect(bundled.body.problems.filter((p: { code: string }) => p.code === 'FLOW_SAMPLE')).toEqual([]);
  });
});
