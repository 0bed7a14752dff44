import { describe, expect, it } from 'vitest';
import { partOf, summariseProfile } from './cpu-profile.js';

const ROOT = '/repo';

describe('partOf', () => {
  it('names Sidekick folders, dependencies (scoped too) and Node internals', () => {
    expect(partOf({ functionName: 'insert', url: 'file:///repo/src/store/queries/alerts.ts' }, ROOT)).toBe('src/store');
    expect(partOf({ functionName: 'x', url: 'file:///repo/node_modules/kysely/dist/esm/index.js' }, ROOT)).toBe('kysely');
    expect(partOf({ functionName: 'x', url: 'file:///repo/node_modules/@fastify/static/index.js' }, ROOT)).toBe('@fastify/static');
    expect(partOf({ functionName: 'x', url: 'node:internal/http/server' }, ROOT)).toBe('node:http');
    expect(partOf({ functionName: '(garbage collector)', url: '' }, ROOT)).toBe('garbage collection');
    expect(partOf({ functionName: 'run', url: '' }, ROOT)).toBe('native: run');
  });

  it('does not mistake a path that merely contains "src/" for Sidekick code', () => {
    expect(partOf({ functionName: 'x', url: 'file:///elsewhere/src/store/a.ts' }, ROOT)).toBe('/elsewhere/src/store/a.ts');
    expect(partOf({ functionName: 'x', url: 'file:///repo-other/src/a.ts' }, ROOT)).toBe('/repo-other/src/a.ts');
  });
});

describe('summariseProfile', () => {
  it('charges each sample the gap to the next one, leaves idle time out, and ranks by self time', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'claimJobs', url: 'file:///repo/src/store/queries/claim-jobs.ts', lineNumber: 9 } },
        { id: 3, callFrame: { functionName: 'render', url: 'file:///repo/node_modules/liquidjs/dist/liquid.node.mjs', lineNumber: 0 } },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [2, 3, 2, 1],
      timeDeltas: [0, 3000, 1000, 2000],
    };
    const summary = summariseProfile(profile, ROOT);
    expect(summary.wallMs).toBe(10);
    // claimJobs: 3 ms + 2 ms; render: 1 ms; the idle sample's time is the missing trailing gap.
    expect(summary.busyMs).toBe(6);
    expect(summary.byPart[0]).toMatchObject({ part: 'src/store', ms: 5 });
    expect(summary.byPart[1]).toMatchObject({ part: 'liquidjs', ms: 1 });
    expect(summary.topFunctions[0]).toMatchObject({ name: 'claimJobs', where: 'src/store/queries/claim-jobs.ts:10' });
    expect(summary.topFunctions[0]!.share).toBeCloseTo(5 / 6);
  });

  it('charges native and dependency time to the nearest Sidekick function up the stack', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 5] },
        { id: 2, callFrame: { functionName: 'claimJobs', url: 'file:///repo/src/store/queries/claim-jobs.ts', lineNumber: 9 }, children: [3] },
        { id: 3, callFrame: { functionName: 'executeQuery', url: 'file:///repo/node_modules/kysely/dist/esm/driver.js', lineNumber: 0 }, children: [4] },
        { id: 4, callFrame: { functionName: 'all', url: '', lineNumber: -1 } },
        { id: 5, callFrame: { functionName: 'parserOnHeadersComplete', url: 'node:_http_common', lineNumber: 0 } },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [4, 3, 5, 4],
      timeDeltas: [0, 4000, 1000, 2000, 1000],
    };
    const summary = summariseProfile(profile, ROOT);
    expect(summary.bySidekickCaller[0]).toMatchObject({ name: 'claimJobs', where: 'src/store/queries/claim-jobs.ts:10', ms: 6 });
    expect(summary.bySidekickCaller[1]!.name).toMatch(/^\(no Sidekick frame/);
    expect(summary.topFunctions[0]).toMatchObject({ name: 'all', ms: 5 });
  });

  it('survives an empty profile', () => {
    const summary = summariseProfile({ nodes: [], startTime: 0, endTime: 0 }, ROOT);
    expect(summary.busyMs).toBe(0);
    expect(summary.byPart).toEqual([]);
  });
});
