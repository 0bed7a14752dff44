import { describe, expect, it } from 'vitest';
import { CompiledQuery } from 'kysely';
import { replaceNul, replaceNulInQuery } from './replace-nul-dialect.js';

describe('replaceNulInQuery', () => {
  it('replaces U+0000 in string parameters only and leaves the rest alone', () => {
    const buffer = Buffer.from([0, 1, 2]);
    const query = CompiledQuery.raw('insert into t values (?, ?, ?, ?)', ['a\u0000b\u0000', 7, null, buffer]);
    const replaced = replaceNulInQuery(query);
    expect(replaced.parameters).toEqual(['a\uFFFDb\uFFFD', 7, null, buffer]);
    expect(replaced.sql).toBe(query.sql);
    expect(query.parameters[0]).toBe('a\u0000b\u0000');
  });

  it('returns the very same query when nothing needs replacing', () => {
    const query = CompiledQuery.raw('select ?', ['plain 🔥']);
    expect(replaceNulInQuery(query)).toBe(query);
  });

  it('replaces in plain strings the same way', () => {
    expect(replaceNul('\u0000x\u0000')).toBe('\uFFFDx\uFFFD');
    expect(replaceNul('x')).toBe('x');
  });
});
