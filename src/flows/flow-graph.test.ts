import { describe, expect, it } from 'vitest';
import { outputsFor } from './flow-graph.js';
import { getBoxType } from '../boxes/registry.js';

const outputs = (type: string, settings: Record<string, unknown>) => outputsFor(getBoxType(type)!.outputs, settings);

describe('box outputs for given settings', () => {
  it('follows the settings: a wait by its duration and event, an ask by its choices', () => {
    expect(outputs('wait', { duration: '5m' })).toEqual(['next']);
    expect(outputs('wait', { until: 'resolved' })).toEqual(['resolved']);
    expect(outputs('wait', { duration: '5m', until: 'mitigated' })).toEqual(['next', 'mitigated']);
    expect(
      outputs('ask', {
        choices: [
          { id: 'yes', label: 'Yes' },
          { id: 'no', label: 'No' },
        ],
      }),
    ).toEqual(['yes', 'no']);
    expect(outputs('condition', {})).toEqual(['true', 'false']);
    expect(outputs('http-request', { url: 'https://x' })).toEqual(['next', 'error']);
  });

  it('reads half-typed settings without throwing, as the editor sends them', () => {
    expect(outputs('ask', {})).toEqual([]);
    expect(outputs('ask', { choices: ['yes', { id: 'no' }, null, 3] })).toEqual(['yes', 'no']);
    expect(outputs('ask', { choices: { maybe: 'Maybe' } })).toEqual(['maybe']);
    expect(outputs('wait', { until: 42 })).toEqual([]);
  });
});
