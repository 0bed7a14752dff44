import { describe, expect, it } from 'vitest';
import { boundKey } from './bound-key.js';
import { toInstant } from './instant.js';
import { headerValue } from './json-value.js';
import { collectLinks, safeLink } from './links.js';
import { checkPath, readPath } from './read-path.js';
import { severityFromPriority, severityFromWord } from './severity.js';
import { labelsFromTags } from './tags.js';
import { cleanTitle } from './title.js';

describe('mapping helpers', () => {
  it('reads times in every shape monitors send', () => {
    expect(toInstant('2026-01-01T04:00:00Z')).toBe('2026-01-01T04:00:00.000Z');
    expect(toInstant('1767240000000')).toBe('2026-01-01T04:00:00.000Z');
    expect(toInstant(1767240000)).toBe('2026-01-01T04:00:00.000Z');
    // A nanosecond timestamp as a vendor sends it in JSON: the precision lost is what is tested.
    // eslint-disable-next-line no-loss-of-precision -- see above
    expect(toInstant(1767240000123456789)).toBe('2026-01-01T04:00:00.123Z');
    expect(toInstant('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(toInstant('soon')).toBeUndefined();
    expect(toInstant({})).toBeUndefined();
    expect(toInstant(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('keeps only http(s) links', () => {
    expect(safeLink('x', 'javascript:alert(1)')).toBeUndefined();
    expect(safeLink('x', 'data:text/html,hi')).toBeUndefined();
    expect(safeLink('x', '/relative')).toBeUndefined();
    expect(safeLink('x', `https://a.example/${'a'.repeat(5000)}`)).toBeUndefined();
    expect(safeLink(undefined, 'http://grafana.local:3000/d/1')).toEqual({ title: 'grafana.local', url: 'http://grafana.local:3000/d/1' });
    expect(
      collectLinks([
        ['a', 'https://x.example'],
        ['b', 'https://x.example'],
      ]),
    ).toEqual([{ title: 'a', url: 'https://x.example' }]);
  });

  it('maps severities and priorities', () => {
    expect(severityFromWord('CRITICAL')).toBe('critical');
    expect(severityFromWord('warn')).toBe('warning');
    expect(severityFromWord('p2')).toBe('high');
    expect(severityFromWord('bogus')).toBeUndefined();
    expect(severityFromWord('constructor')).toBeUndefined();
    expect(severityFromPriority('normal')).toBeUndefined();
    expect(severityFromPriority('P5')).toBe('info');
  });

  it('turns tags into labels, joining repeated keys', () => {
    expect(labelsFromTags('team:a,team:b, env:prod ,solo,url:http://x:1')).toEqual({ team: 'a,b', env: 'prod', solo: '', url: 'http://x:1' });
    expect(labelsFromTags(['__proto__:x'])).toHaveProperty(['__proto__'], 'x');
    expect(labelsFromTags(42)).toEqual({});
  });

  it('reads dotted and JSONPath paths, and checks them', () => {
    const doc = { a: { b: [{ c: 'd' }] }, 'x-y': 1 };
    expect(readPath(doc, 'a.b[0].c')).toBe('d');
    expect(readPath(doc, '$.a.b[0].c')).toBe('d');
    expect(readPath(doc, "$['x-y']")).toBe(1);
    expect(readPath(doc, 'a.b[5].c')).toBeUndefined();
    expect(readPath(doc, 'a.__proto__')).toBeUndefined();
    expect(checkPath('a.b[0]')).toBeUndefined();
    expect(checkPath('$..c')).toBeUndefined();
    expect(checkPath('.a')).toMatch(/dotted path/);
    expect(checkPath('$.a[')).toMatch(/JSONPath/);
  });

  it('cleans titles', () => {
    expect(cleanTitle('  a\n\tb\u0000c  ')).toBe('a b c');
    const long = cleanTitle('🔥'.repeat(2000));
    expect(Array.from(long)).toHaveLength(1000);
    expect(long.endsWith('…')).toBe(true);
  });

  it('bounds keys', () => {
    expect(boundKey('short')).toBe('short');
    expect(boundKey('x'.repeat(300))).toHaveLength(256);
  });

  it('reads headers whatever their case', () => {
    expect(headerValue({ 'Content-Type': 'a' }, 'content-type')).toBe('a');
    expect(headerValue({ 'x-a': ['1', '2'] }, 'X-A')).toBe('1, 2');
    expect(headerValue({}, 'x')).toBeUndefined();
  });
});
