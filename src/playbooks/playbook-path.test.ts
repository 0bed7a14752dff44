import { describe, expect, it } from 'vitest';
import { parsePlaybook } from './parse-playbook.js';
import { back, breadcrumb, choose, findCurrentPage, startPath, type PlaybookPathState } from './playbook-path.js';

const { playbook } = parsePlaybook(
  [
    '# MySQL replication',
    '## Is replication lag rising? {#start}',
    '- [Lag rising?](#tunnel)',
    '- [Replication broken](#broken)',
    '## Check the tunnel {#tunnel}',
    '- [Tunnel down](#tunnel-down)',
    '- [Start over](#start)',
    '## Tunnel down {#tunnel-down}',
    '- [Check the tunnel again](#tunnel)',
    '## SQL thread stopped {#broken}',
    'Read the error.',
  ].join('\n\n'),
  'mysql.md',
  'mysql',
);
const book = playbook!;
const AT = '2026-01-01T04:00:00.000Z';

describe('playbook path', () => {
  it('starts on the start page with an empty path', () => {
    expect(startPath(book)).toEqual({ page: 'start', path: [] });
    expect(findCurrentPage(startPath(book), book)?.title).toBe('Is replication lag rising?');
  });

  it('remembers each choice with who made it and when', () => {
    const one = choose(startPath(book), book, 'tunnel', 'U123', AT)!;
    const two = choose(one, book, 'tunnel-down', 'U456', '2026-01-01T04:01:00.000Z')!;
    expect(two).toEqual({
      page: 'tunnel-down',
      path: [
        { page: 'start', choice: 'tunnel', label: 'Lag rising?', by: 'U123', at: AT },
        { page: 'tunnel', choice: 'tunnel-down', label: 'Tunnel down', by: 'U456', at: '2026-01-01T04:01:00.000Z' },
      ],
    });
  });

  it('does not change the state it was given', () => {
    const state = startPath(book);
    const frozen = JSON.stringify(state);
    choose(state, book, 'tunnel', 'U1', AT);
    back(choose(state, book, 'tunnel', 'U1', AT)!);
    expect(JSON.stringify(state)).toBe(frozen);
  });

  it('refuses a choice the current page does not offer (stale or forged clicks)', () => {
    const state = startPath(book);
    expect(choose(state, book, 'tunnel-down', 'U1', AT)).toBeUndefined();
    expect(choose(state, book, '__proto__', 'U1', AT)).toBeUndefined();
    expect(choose(state, book, '', 'U1', AT)).toBeUndefined();
    expect(choose({ page: 'gone', path: [] }, book, 'tunnel', 'U1', AT)).toBeUndefined();
  });

  it('goes back one choice at a time and stays put at the start', () => {
    const there = choose(choose(startPath(book), book, 'tunnel', 'U1', AT)!, book, 'tunnel-down', 'U1', AT)!;
    const once = back(there);
    expect(once).toEqual({ page: 'tunnel', path: [there.path[0]] });
    expect(back(once)).toEqual({ page: 'start', path: [] });
    expect(back(back(once))).toEqual({ page: 'start', path: [] });
  });

  it('shows a breadcrumb of page titles from the start', () => {
    expect(breadcrumb(startPath(book), book)).toBe('Start');
    const one = choose(startPath(book), book, 'tunnel', 'U1', AT)!;
    const two = choose(one, book, 'tunnel-down', 'U1', AT)!;
    expect(breadcrumb(two, book)).toBe('Start › Check the tunnel › Tunnel down');
    expect(breadcrumb(choose(two, book, 'tunnel', 'U1', AT)!, book)).toBe('Start › Check the tunnel › Tunnel down › Check the tunnel');
  });

  it('keeps long breadcrumbs short, with the start and the latest steps', () => {
    let state: PlaybookPathState = startPath(book);
    for (let i = 0; i < 10; i++) {
      state = choose(state, book, 'tunnel', 'U1', AT)!;
      state = choose(state, book, 'tunnel-down', 'U1', AT)!;
    }
    expect(breadcrumb(state, book)).toBe('Start › … › Check the tunnel › Tunnel down › Check the tunnel › Tunnel down');
  });

  it('falls back to the clicked label, then the id, when the playbook changed underneath', () => {
    const state: PlaybookPathState = {
      page: 'renamed',
      path: [{ page: 'start', choice: 'renamed', label: 'Old label', by: 'U1', at: AT }],
    };
    expect(breadcrumb(state, book)).toBe('Start › Old label');
    expect(breadcrumb({ page: 'lost', path: [] }, book)).toBe('lost');
  });
});
