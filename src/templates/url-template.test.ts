import { describe, expect, it } from 'vitest';
import { hasDotSegment, urlTemplateOrigin } from './url-template.js';

describe('urlTemplateOrigin', () => {
  it('takes the origin the template writes when no value is in it', () => {
    expect(urlTemplateOrigin('https://API.example.com:443/v1/{{ alert.labels.host }}?q={{ x }}')).toEqual({ literalOrigin: 'https://api.example.com', hostValues: [] });
    expect(urlTemplateOrigin('http://127.0.0.1:8080?{{ x }}')).toEqual({ literalOrigin: 'http://127.0.0.1:8080', hostValues: [] });
    expect(urlTemplateOrigin('http://127.0.0.1:8080#{{ x }}').literalOrigin).toBe('http://127.0.0.1:8080');
  });

  it('finds every value and tag that forms the scheme, user, host or port, raw or not', () => {
    const found = (source: string) => urlTemplateOrigin(source).hostValues.map((v) => [v.offset, v.raw]);
    expect(found('http://{{ h }}/x/{{ p }}')).toEqual([[7, false]]);
    expect(found('https://db-{{ h }}.example.com/')).toEqual([[11, false]]);
    expect(found('https://x.example.com:{{ port }}')).toEqual([[22, false]]);
    expect(found('https://{{ u }}@x.example.com/')).toEqual([[8, false]]);
    expect(found('{{ vars.base | raw }}/x/{{ p }}')).toEqual([[0, true]]);
    expect(found('{{ vars.scheme | raw }}://{{ vars.host | raw -}}/x')).toEqual([
      [0, true],
      [26, true],
    ]);
    expect(found('{{ vars.base | raw | append: "/" }}x')).toEqual([[0, false]]);
    expect(found('https://{% if a %}a{% else %}b{% endif %}.example.com/')).toEqual([
      [8, false],
      [19, false],
      [30, false],
    ]);
    // A backslash ends the host as a slash does: URL parsers read it so in http(s) URLs.
    expect(found('https://x.example.com\\{{ p }}')).toEqual([]);
    expect(urlTemplateOrigin('not a url/{{ p }}')).toEqual({ hostValues: [] });
  });
});

describe('hasDotSegment', () => {
  it('finds . and .. segments, percent-encoded ones included, only in the path', () => {
    for (const url of ['https://x/a/../b', 'https://x/a/./b', 'https://x/..', 'https://x/a/%2e%2E/b', 'https://x/a/.%2e', 'https://x/a\\..\\b']) {
      expect(hasDotSegment(url), url).toBe(true);
    }
    for (const url of ['https://x/a/.../b', 'https://x/a..b/', 'https://x/a?p=../..', 'https://x/a#../..', 'https://x/%252e%252e/', 'https://x.y.z/']) {
      expect(hasDotSegment(url), url).toBe(false);
    }
  });
});
