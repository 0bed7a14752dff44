import { describe, expect, it } from 'vitest';
import { canonicalJson, hashAlertContent } from './hash-alert-content.js';

describe('hashAlertContent', () => {
  it('is the same for the same content in another key order, at every depth', () => {
    const a = { b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } };
    const b = { a: { c: null, d: [3, { e: 2, f: 1 }] }, b: 1 };
    expect(hashAlertContent('datadog', a)).toBe(hashAlertContent('datadog', b));
    expect(hashAlertContent('datadog', a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs by source, array order, types and a __proto__ key', () => {
    const base = hashAlertContent('datadog', { list: [1, 2] });
    expect(hashAlertContent('grafana', { list: [1, 2] })).not.toBe(base);
    expect(hashAlertContent('datadog', { list: [2, 1] })).not.toBe(base);
    expect(hashAlertContent('datadog', { list: ['1', 2] })).not.toBe(base);
    const proto = JSON.parse('{"__proto__": {"x": 1}, "list": [1, 2]}') as unknown;
    expect(hashAlertContent('datadog', proto)).not.toBe(base);
    expect(canonicalJson(proto)).toBe('{"__proto__":{"x":1},"list":[1,2]}');
  });

  it('cannot be confused by a source that swallows the separator', () => {
    expect(hashAlertContent('a\n"x"', 'y')).not.toBe(hashAlertContent('a', '"x"\n"y"'));
  });

  it('handles undefined, Dates and unicode like JSON does', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson({ when: new Date('2026-01-01T00:00:00Z') })).toBe('{"when":"2026-01-01T00:00:00.000Z"}');
    expect(canonicalJson({ ü: '🔥', a: '\u0000' })).toBe('{"a":"\\u0000","ü":"🔥"}');
  });
});
