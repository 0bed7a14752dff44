import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';
import { outputsFor } from '../../src/flows/flow-graph.js';
import type { BoxList } from '../../src/server/api-types.js';

/** The editor knows a box only from /api/boxes: its outputs, its output fields, its templated settings. */
describe('GET /api/boxes', { timeout: 60_000 }, () => {
  let sidekick: TestSidekick;
  let boxes: BoxList['boxes'];
  beforeAll(async () => {
    sidekick = await startTestSidekick({ flows: {} });
    boxes = ((await sidekick.get('/api/boxes')).body as BoxList).boxes;
  });
  afterAll(async () => sidekick?.close());
  const box = (type: string) => boxes.find((candidate) => candidate.type === type)!;

  it('serves each box’s outputs as rules the editor evaluates for the settings it has', () => {
    expect(outputsFor(box('wait').outputs, { duration: '5m', until: 'resolved' })).toEqual(['next', 'resolved']);
    expect(outputsFor(box('wait').outputs, { until: 'mitigated' })).toEqual(['mitigated']);
    expect(outputsFor(box('ask').outputs, { choices: [{ id: 'rising', label: 'Rising' }] })).toEqual(['rising']);
    expect(outputsFor(box('http-request').outputs, {})).toEqual(['next', 'error']);
  });

  it('serves templated settings with their escaping, in the map and in the schema', () => {
    expect(box('http-request').templates).toEqual({ url: 'url', body: 'json' });
    expect(box('post').schema.properties?.links?.additionalProperties).toMatchObject({ template: 'plain' });
    expect(box('meeting').produces).toContain('join_url');
  });

  it('serves every box’s settings as a closed object, as the flow check reads them', () => {
    expect(boxes.length).toBeGreaterThan(0);
    for (const { type, schema } of boxes) expect(schema, type).toMatchObject({ type: 'object', additionalProperties: false });
  });

  it('lists a box added in src/boxes/ alone', () => {
    expect(box('set-severity')).toMatchObject({ title: 'Set severity', outputs: ['next'], templates: { reason: 'plain' } });
  });
});
