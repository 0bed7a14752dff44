import { describe, expect, it } from 'vitest';
import { escapeForJsonContext, jsonContexts } from './json-context.js';

describe('jsonContexts', () => {
  it('tells string content from value positions, escaped quotes and backslashes included', () => {
    const source = '{"a": "{{ v }}", "b": {{ v }}, "c": "x\\"{{ v }}\\\\", "d": [{{ v }}, "{{ v }}"], "e": "\\{{ v }}"}';
    expect([...jsonContexts(source).values()]).toEqual(['string', 'value', 'string', 'value', 'string', 'escaped']);
  });
});

describe('escapeForJsonContext', () => {
  it('writes string content, or a JSON value keeping numbers, booleans, lists and objects', () => {
    expect(escapeForJsonContext('say "hi"\n\\', 'say "hi"\n\\', 'string')).toBe('say \\"hi\\"\\n\\\\');
    expect(escapeForJsonContext(3.5, '3.5', 'value')).toBe('3.5');
    expect(escapeForJsonContext(true, 'true', 'value')).toBe('true');
    expect(escapeForJsonContext(['a', 1], '["a",1]', 'value')).toBe('["a",1]');
    expect(escapeForJsonContext(Number.NaN, 'NaN', 'value')).toBe('"NaN"');
    expect(escapeForJsonContext('5', '5', 'value')).toBe('"5"');
  });
});
