import { describe, expect, it } from 'vitest';
import { TemplateCache } from './template-cache.js';

describe('TemplateCache', () => {
  it('drops the least recently used entry past its capacity', () => {
    const cache = new TemplateCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('never grows past its capacity, whatever the keys', () => {
    const cache = new TemplateCache<string>(10);
    for (let i = 0; i < 1000; i++) cache.set(`{{ x${i} }}\u0000__proto__`, 'v');
    cache.set('__proto__', 'p');
    expect(cache.size).toBe(10);
    expect(cache.get('__proto__')).toBe('p');
  });
});
