import { describe, expect, it } from 'vitest';
import { templatesOf } from './box-templates.js';
import { getBoxType } from './registry.js';

const templates = (type: string) => templatesOf(getBoxType(type)!.settings);

describe('template settings read from the box schemas', () => {
  it('finds templated strings with their escaping, through optional and default', () => {
    expect(templates('post').modes).toEqual({ text: 'text', header: 'text' });
    expect(templates('http-request').modes).toEqual({ url: 'url', body: 'json' });
    expect(templates('open-channel').modes).toEqual({ name: 'plain', topic: 'plain' });
    expect(templates('condition').modes).toEqual({});
  });

  it('finds templates inside records too: links, headers, set', () => {
    expect(templates('post').keys).toEqual(expect.arrayContaining(['text', 'header', 'links']));
    expect(templates('http-request').keys).toEqual(expect.arrayContaining(['url', 'body', 'headers']));
    expect(templates('set-variable').keys).toEqual(['set']);
    expect(templates('post').keys).not.toContain('channel');
  });
});
