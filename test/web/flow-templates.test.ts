import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FLOW_TEMPLATES } from '../../web/src/flows/flow-templates.js';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

/** The editor's "new flow" templates must be valid flows, as the server (and `sidekick validate`) sees them. */
describe('new-flow templates', () => {
  let sidekick: TestSidekick;
  beforeAll(async () => {
    sidekick = await startTestSidekick();
  });
  afterAll(async () => {
    await sidekick?.close();
  });

  for (const template of FLOW_TEMPLATES) {
    it(`"${template.title}" validates without problems`, async () => {
      const yaml = template.yaml(`tpl-${template.key}`, template.title);
      const { status, body } = await sidekick.post('/api/flows/validate', { yaml, file: `tpl-${template.key}.yaml` });
      expect(status).toBe(200);
      expect(body.problems.filter((problem: { severity: string }) => problem.severity === 'error')).toEqual([]);
    });
  }

  it('the 4 am template test-runs: meeting, a post to #team, a minute, then the DM', async () => {
    const yaml = FLOW_TEMPLATES.find((template) => template.key === 'page-team')!.yaml('four-am', 'Four am');
    const payload = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/alerts/datadog-mysql-replication-lag.json'), 'utf8'));
    const { body } = await sidekick.post('/api/flows/simulate', { yaml, alert: { source: 'datadog', payload } });
    expect(body.problems.filter((problem: { severity: string }) => problem.severity === 'error')).toEqual([]);
    expect(body.transcript).toMatch(/#team/);
    expect(body.transcript).toMatch(/meet\./);
    expect(body.transcript).toMatch(/\+00:01:00.*(water|breath)/s);
  });

  it('a hostile name stays a name: no YAML injection through the comment or the field', () => {
    for (const template of FLOW_TEMPLATES) {
      const name = 'x\nboxes: []\n# "quoted" \u2028 {{ alert.title }}';
      const flow = parse(template.yaml('safe', name));
      expect(flow.name).toBe(name);
      expect(flow.boxes.length).toBeGreaterThan(0);
    }
  });
});
