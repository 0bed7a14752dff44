import { describe, expect, it } from 'vitest';
import { markSources } from '../../web/src/chat/sources.js';

describe('markSources', () => {
  it('marks each interpolated value with its path', () => {
    expect(
      markSources("mysql -h 'db-7' -P 3306", [
        { path: 'alert.raw.host', value: 'db-7' },
        { path: 'alert.raw.port', value: '3306' },
      ]),
    ).toEqual([{ text: "mysql -h '" }, { text: 'db-7', path: 'alert.raw.host' }, { text: "' -P " }, { text: '3306', path: 'alert.raw.port' }]);
  });

  it('prefers longer values and never overlaps', () => {
    const segments = markSources('ping db-70 db-7', [
      { path: 'short', value: 'db-7' },
      { path: 'long', value: 'db-70' },
    ]);
    expect(segments).toEqual([{ text: 'ping ' }, { text: 'db-70', path: 'long' }, { text: ' ' }, { text: 'db-7', path: 'short' }]);
  });

  it('ignores empty or missing values and keeps the text whole', () => {
    const text = "echo '$(whoami)'; `id`";
    const segments = markSources(text, [
      { path: 'x', value: '' },
      { path: 'y', value: '$(whoami)' },
      { path: 'z', value: 'absent' },
    ]);
    expect(segments.map((segment) => segment.text).join('')).toBe(text);
    expect(segments.find((segment) => segment.path)?.text).toBe('$(whoami)');
    expect(markSources('', [])).toEqual([]);
    expect(markSources('abc')).toEqual([{ text: 'abc' }]);
  });
});
