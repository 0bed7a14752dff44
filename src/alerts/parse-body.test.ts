import { describe, expect, it } from 'vitest';
import { AlertIntakeError } from './errors.js';
import { parseBody } from './parse-body.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return [(error as AlertIntakeError).code, (error as Error).message];
  }
  return ['none', ''];
};

describe('parseBody', () => {
  it('parses JSON, with or without a byte order mark', () => {
    expect(parseBody(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(parseBody(Buffer.from('\ufeff[1]'))).toEqual([1]);
  });

  it('reads a URL-encoded form (Datadog "Encode as form")', () => {
    expect(parseBody(Buffer.from('title=Disk+full&tags=service%3Aweb'), 'application/x-www-form-urlencoded; charset=utf-8')).toEqual({
      title: 'Disk full',
      tags: 'service:web',
    });
  });

  it.each([
    ['truncated', '{"receiver":"x","alerts":[{"status":"fir', /not valid JSON/],
    ['not JSON', 'hello', /not valid JSON/],
    ['empty', '   ', /empty/],
    ['XML', '<alert/>', /not valid JSON/],
  ])('refuses %s bodies with ALERT_BAD_JSON and the parser message', (_name, text, message) => {
    const [code, text2] = codeOf(() => parseBody(Buffer.from(text)));
    expect(code).toBe('ALERT_BAD_JSON');
    expect(text2).toMatch(message);
  });

  it('refuses invalid UTF-8', () => {
    expect(codeOf(() => parseBody(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])))).toEqual(['ALERT_BAD_JSON', 'the body is not valid UTF-8; expected JSON']);
  });

  it('refuses hostile nesting without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(codeOf(() => parseBody(Buffer.from(deep)))[0]).toMatch(/ALERT_(UNMAPPABLE|BAD_JSON)/);
    const objects = `${'{"a":'.repeat(65)}1${'}'.repeat(65)}`;
    expect(codeOf(() => parseBody(Buffer.from(objects)))).toEqual(['ALERT_UNMAPPABLE', 'the JSON is nested deeper than 64 levels']);
    const fine = `${'{"a":'.repeat(63)}1${'}'.repeat(63)}`;
    expect(() => parseBody(Buffer.from(fine))).not.toThrow();
    const atTheLimit = `${'['.repeat(64)}${']'.repeat(64)}`;
    expect(() => parseBody(Buffer.from(atTheLimit))).not.toThrow();
    expect(codeOf(() => parseBody(Buffer.from(`[${atTheLimit}]`)))).toEqual(['ALERT_UNMAPPABLE', 'the JSON is nested deeper than 64 levels']);
    // Many brackets side by side, or inside strings, are not depth.
    const wide = JSON.stringify({ list: Array.from({ length: 200 }, () => ({ text: '[[{{' })) });
    expect(() => parseBody(Buffer.from(wide))).not.toThrow();
    const deepAmongMany = JSON.stringify({ pad: '{'.repeat(100), deep: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) as unknown });
    expect(codeOf(() => parseBody(Buffer.from(deepAmongMany)))[0]).toBe('ALERT_UNMAPPABLE');
  });
});
