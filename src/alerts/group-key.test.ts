import { describe, expect, it } from 'vitest';
import { groupKeyOf } from './group-key.js';

const alert = (labels: Record<string, string>, dedupKey = 'k1', source = 'alertmanager') => ({ source, dedupKey, labels });

describe('groupKeyOf', () => {
  it('groups by the configured labels in the configured order', () => {
    expect(groupKeyOf(alert({ cluster: 'eu', service: 'mysql', host: 'db-7' }), { by: ['service', 'cluster'] })).toBe('service=mysql,cluster=eu');
  });

  it('folds alerts with the same values together, from any source', () => {
    const grouping = { by: ['service'] };
    expect(groupKeyOf(alert({ service: 'mysql' }, 'a', 'datadog'), grouping)).toBe(groupKeyOf(alert({ service: 'mysql' }, 'b'), grouping));
  });

  it('uses the labels it has when some are missing', () => {
    expect(groupKeyOf(alert({ service: 'mysql' }), { by: ['service', 'cluster'] })).toBe('service=mysql');
  });

  it('falls back to source and dedup key without grouping labels', () => {
    expect(groupKeyOf(alert({ host: 'x' }), { by: ['service'] })).toBe('alertmanager:k1');
    expect(groupKeyOf(alert({ service: 'x' }), { by: [] })).toBe('alertmanager:k1');
  });

  it('escapes separators so different label sets never collide', () => {
    const one = groupKeyOf(alert({ a: 'x,b=y' }), { by: ['a', 'b'] });
    const two = groupKeyOf(alert({ a: 'x', b: 'y' }), { by: ['a', 'b'] });
    expect(one).not.toBe(two);
    expect(one).toBe('a=x\\,b\\=y');
  });

  it('does not read inherited properties as labels', () => {
    expect(groupKeyOf(alert({}), { by: ['constructor', 'toString'] })).toBe('alertmanager:k1');
  });

  it('bounds enormous keys but keeps distinct ones distinct', () => {
    const long1 = groupKeyOf(alert({ service: `${'x'.repeat(10_000)}1` }), { by: ['service'] });
    const long2 = groupKeyOf(alert({ service: `${'x'.repeat(10_000)}2` }), { by: ['service'] });
    expect(long1.length).toBeLessThanOrEqual(256);
    expect(long1).not.toBe(long2);
    expect(long1.startsWith('service=xxx')).toBe(true);
    const emoji = groupKeyOf(alert({}, '🔥'.repeat(500)), { by: [] });
    expect(emoji.length).toBeLessThanOrEqual(256);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
