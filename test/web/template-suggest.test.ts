import { describe, expect, it } from 'vitest';
import { allBoxTypes } from '../../src/boxes/registry.js';
import type { BoxInfo } from '../../web/src/api/types.js';
import { applySuggestion, filterSuggestions, partialAt, pathsOfValue, templateSuggestions } from '../../web/src/editor/template-suggest.js';

describe('template suggestions', () => {
  it('lists payload paths with bracket notation for odd keys', () => {
    const paths = pathsOfValue({ host: 'db-7', 'site-name': 'eu', tags: ['a:b'], nested: { deep: 1 } }, 'alert.raw').map((item) => item.path);
    expect(paths).toEqual(['alert.raw.host', 'alert.raw["site-name"]', 'alert.raw.tags', 'alert.raw.tags[0]', 'alert.raw.nested', 'alert.raw.nested.deep']);
  });

  it('caps huge and deep payloads', () => {
    const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`k${index}`, index]));
    expect(pathsOfValue(wide, 'alert.raw').length).toBeLessThanOrEqual(400);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100; i++) deep = (deep.a = {}) as Record<string, unknown>;
    expect(pathsOfValue(root, 'x').length).toBeLessThan(12);
  });

  it('includes flow vars and box outputs', () => {
    // What /api/boxes serves: each type's own `produces`.
    const infos = new Map(allBoxTypes().map((box) => [box.type, { produces: box.produces ?? [] } as BoxInfo]));
    const list = templateSuggestions(
      {
        vars: { team: 'db' },
        boxes: [
          { id: 'meeting', type: 'meeting' },
          { id: 'x', type: 'condition' },
        ],
      },
      { host: 'db-7' },
      infos,
    );
    const paths = list.map((item) => item.path);
    expect(paths).toContain('vars.team');
    expect(paths).toContain('boxes.meeting.join_url');
    expect(paths).toContain('boxes.x');
    expect(paths).toContain('alert.raw.host');
  });

  it('finds the partial path inside an open tag only', () => {
    expect(partialAt('Lag on {{ alert.ra', 18)).toEqual({ start: 10, partial: 'alert.ra' });
    expect(partialAt('{{ a }} done', 12)).toBeUndefined();
    expect(partialAt('no tags', 3)).toBeUndefined();
    expect(partialAt('{% if alert.sev', 15)).toEqual({ start: 6, partial: 'alert.sev' });
    expect(partialAt('{{ ', 3)).toEqual({ start: 3, partial: '' });
  });

  it('filters by prefix first, then by substring', () => {
    const list = [
      { path: 'alert.raw.host', hint: '' },
      { path: 'alert.title', hint: '' },
      { path: 'incident.host', hint: '' },
    ];
    expect(filterSuggestions(list, 'alert.').map((item) => item.path)).toEqual(['alert.raw.host', 'alert.title']);
    expect(filterSuggestions(list, 'host').map((item) => item.path)).toEqual(['alert.raw.host', 'incident.host']);
  });

  it('completes and closes the tag', () => {
    expect(applySuggestion('Lag on {{ alert.ra', 18, 10, 'alert.raw.host')).toEqual({ text: 'Lag on {{ alert.raw.host }}', caret: 27 });
    expect(applySuggestion('{{ al }} x', 5, 3, 'alert.title')).toEqual({ text: '{{ alert.title }} x', caret: 14 });
    expect(applySuggestion('{{ al | upcase }}', 5, 3, 'alert.title').text).toBe('{{ alert.title | upcase }}');
  });
});
