import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';
import { buildScope, sampleScope } from '../../src/flows/build-scope.js';
import { getAlertSource } from '../../src/alerts/sources/index.js';

const payload = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/alerts/datadog-mysql-replication-lag.json'), 'utf8')) as unknown;

const FLOW = `id: say
trigger: { on: alert }
boxes:
  - id: say
    type: post
    text: "{{ alert.dedup_key }} {{ incident.url }} {{ flow.name }}"
`;

/** Paths of the defined values one level into each part of a scope: `alert.dedup_key`, `incident.url`, `now`. */
function pathsOf(scope: Record<string, unknown>): string[] {
  return Object.entries(scope).flatMap(([part, value]) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value)
          .filter(([, inner]) => inner !== undefined)
          .map(([key]) => `${part}.${key}`)
      : value === undefined
        ? []
        : [part],
  );
}

/** A template previewed in the editor sees what the run sees: no value that works at run time shows as missing. */
describe('what templates see, in a run and in a preview', { timeout: 60_000 }, () => {
  let sidekick: TestSidekick;
  let runtimeScope: Record<string, unknown>;
  beforeAll(async () => {
    sidekick = await startTestSidekick({ flows: { 'say.yaml': FLOW } });
    expect((await sidekick.post('/webhooks/datadog', payload)).status).toBe(202);
    const detail = await sidekick.until(async () => {
      const { body } = await sidekick.get('/api/incidents');
      if (!body.incidents.length) return undefined;
      const found = (await sidekick.get(`/api/incidents/${body.incidents[0].id}`)).body;
      return found.runs[0]?.status === 'done' ? found : undefined;
    });
    const said = detail.timeline.find((entry: { kind: string }) => entry.kind === 'message');
    expect(said.text).toContain(`${sidekick.runtime.services.publicUrl}/#/incidents/${detail.incident.id}`);
    expect(said.text).not.toContain('⟨missing');
    runtimeScope = buildScope({
      flow: { id: 'say', vars: {} },
      incident: detail.incident,
      alert: detail.alerts[0],
      tasks: [],
      now: new Date(),
      publicUrl: sidekick.runtime.services.publicUrl,
    });
  });
  afterAll(async () => sidekick?.close());

  it('the sample scope has every key the run scope has', () => {
    const [alert] = getAlertSource('datadog')!.parse(payload, { headers: {}, receivedAt: new Date() }, {});
    const sample = sampleScope({ id: 'say', vars: {} }, alert!);
    expect(pathsOf(sample)).toEqual(expect.arrayContaining(pathsOf(runtimeScope)));
    expect(pathsOf(runtimeScope)).toEqual(expect.arrayContaining(['alert.dedup_key', 'alert.starts_at', 'incident.url', 'flow.name', 'now']));
  });

  it('the preview renders every value the run can read, none missing', async () => {
    const paths = pathsOf(runtimeScope);
    const template = paths.map((path) => `{{ ${path} }}`).join(' | ');
    const { status, body } = await sidekick.post('/api/templates/preview', { template, mode: 'plain', source: 'datadog', payload });
    expect(status).toBe(200);
    expect(body.missing).toEqual([]);
    expect(body.problems).toEqual([]);
    expect(body.text).toContain(`${sidekick.runtime.services.publicUrl}/#/incidents/sample`);
  });
});
