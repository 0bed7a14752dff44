import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, postgresReachable, prepareInstances, startInstance, stopInstance, uniqueSchema, until, type FaultSetup, type Instance } from './fault-kit.js';

const reachable = await postgresReachable('live events across instances');

/** Reads a server-sent event stream into one growing string. */
async function listen(url: string): Promise<{ text(): string; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events`, { signal: controller.signal });
  expect(response.status).toBe(200);
  let text = '';
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      /* closed */
    }
  })();
  return { text: () => text, close: () => controller.abort() };
}

/** The `data` of every event of `kind` heard so far. */
function heard(stream: string, kind: string): Record<string, unknown>[] {
  return stream
    .split('\n\n')
    .filter((chunk) => chunk.startsWith(`event: ${kind}\n`))
    .map((chunk) => JSON.parse(chunk.slice(chunk.indexOf('data: ') + 6)) as Record<string, unknown>);
}

/**
 * Behind a load balancer, a browser's event stream is on one instance and the work happens on
 * another: what instance A commits reaches the /api/events subscribers of instance B
 * (PostgreSQL LISTEN/NOTIFY). Large events travel by reference: src/store/postgres/pg-live-relay.test.ts.
 */
describe.skipIf(!reachable)('live events across two instances on one PostgreSQL schema', () => {
  let setup: FaultSetup;
  const instances: Instance[] = [];
  afterAll(async () => {
    await Promise.all(instances.map((instance) => stopInstance(instance, 'SIGKILL')));
    if (setup) {
      await dropSchema(setup.schema);
      setup.remove();
    }
  });

  it('an SSE client on instance B hears the incident and timeline changes made on instance A', async () => {
    setup = prepareInstances({ schema: uniqueSchema('faults_live'), flows: {} });
    const [a, b] = await Promise.all([startInstance(setup.configPath), startInstance(setup.configPath)]);
    instances.push(a, b);
    const stream = await listen(b.url);
    const declared = await fetch(`${a.url}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sidekick-user': 'alice' },
      body: JSON.stringify({ title: 'Checkout is slow', severity: 'high' }),
    });
    expect(declared.status).toBe(201);
    const { incident } = (await declared.json()) as { incident: { id: string } };
    const changed = await fetch(`${a.url}/api/incidents/${incident.id}/severity`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sidekick-user': `bob-${'x'.repeat(20)}` },
      body: JSON.stringify({ severity: 'critical' }),
    });
    expect(changed.status).toBe(200);
    await until(async () => heard(stream.text(), 'incident').some((data) => data.id === incident.id && data.severity === 'critical'), 10_000, 'B hears the severity change');
    await until(async () => heard(stream.text(), 'timeline').some((data) => data.incidentId === incident.id && String(data.text).includes('critical')), 10_000, 'B hears the timeline line');
    // Heard once, not echoed back and forth between the instances.
    await new Promise((r) => setTimeout(r, 500));
    expect(heard(stream.text(), 'incident').filter((data) => data.id === incident.id && data.severity === 'critical')).toHaveLength(1);
    stream.close();
  }, 60_000);
});
