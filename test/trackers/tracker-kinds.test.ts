import { describe, expect, it, vi } from 'vitest';
import type { IssueTracker } from '../../src/trackers/issue-tracker.js';
import { createTracker } from '../../src/trackers/create-tracker.js';
import { readTrackerConfig } from '../../src/trackers/trackers-config.js';

const built = vi.hoisted(() => [] as unknown[]);

// One more entry in the registry, and nothing else: `tracker.kind`, the sub-section, its
// variables, the default choice and the creation must all follow from it.
vi.mock('../../src/trackers/tracker-kinds.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/trackers/tracker-kinds.js')>();
  const { z } = await import('zod');
  const { defineTrackerKind } = await import('../../src/trackers/tracker-kind.js');
  const ledgerTracker = defineTrackerKind({
    name: 'ledger',
    schema: z
      .object({ token: z.string().optional(), book: z.string().default('incidents') })
      .strict()
      .default({ book: 'incidents' }),
    env: [['token', 'LEDGER_TOKEN']],
    requires: ['token'],
    async create(config) {
      built.push(config);
      const tracker: IssueTracker = { name: 'ledger', file: async () => ({ tracker: 'ledger', id: '1', url: 'https://ledger.example/1' }) };
      return tracker;
    },
  });
  return { ...real, TRACKERS: [...real.TRACKERS, ledgerTracker] as const };
});

const deps = { dataDir: '/data', publicUrl: 'http://127.0.0.1:3000' };

describe('the tracker registry is the one place a tracker kind is named', () => {
  it('reads the registered kind’s sub-section and variables, and files to it when configured', async () => {
    const config = readTrackerConfig({ ledger: { book: 'ops' } }, { LEDGER_TOKEN: 'l-1', GITHUB_TOKEN: 'ghp_x', GITHUB_REPO: 'acme/incidents' }) as ReturnType<typeof readTrackerConfig> & {
      ledger: unknown;
    };
    expect(config.ledger).toEqual({ token: 'l-1', book: 'ops' });
    expect(config.kinds).toEqual(['github', 'ledger']);
    built.length = 0;
    const tracker = await createTracker({ kind: 'ledger' } as never, { ...deps, env: { LEDGER_TOKEN: 'l-1' } });
    expect(tracker.name).toBe('ledger');
    expect(built).toEqual([{ token: 'l-1', book: 'incidents' }]);
  });

  it('refuses a kind missing a required setting before building it, naming its variable', async () => {
    built.length = 0;
    await expect(createTracker({ kind: 'ledger' } as never, { ...deps, env: {} })).rejects.toMatchObject({
      code: 'TRACKER_NOT_CONFIGURED',
      message: 'TRACKER_NOT_CONFIGURED: tracker "ledger" needs LEDGER_TOKEN',
    });
    expect(built).toEqual([]);
    expect(readTrackerConfig({}, {}).kinds).not.toContain('ledger');
  });

  it('rejects what the kind’s schema rejects, and kinds nobody registered', () => {
    expect(() => readTrackerConfig({ ledger: { pages: 3 } }, {})).toThrow(/pages/);
    expect(() => readTrackerConfig({ kind: 'trello' }, {})).toThrow();
    expect(readTrackerConfig({}, {}).kinds).toEqual(['markdown']);
  });
});
