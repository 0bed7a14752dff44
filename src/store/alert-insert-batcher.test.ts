import { describe, expect, it } from 'vitest';
import { AlertInsertBatcher } from './alert-insert-batcher.js';
import type { AlertInsertResult, AlertRequest } from './queries/insert-alerts.js';

function request(name: string, size = 1): AlertRequest {
  return { alerts: [], rows: Array.from({ length: size }, () => ({ id: name }) as never), nowMs: 0, windowMs: 0 };
}

function nameOf(req: AlertRequest): string {
  return (req.rows[0] as unknown as { id: string }).id;
}

describe('AlertInsertBatcher', () => {
  it('runs a lone call at once and groups the calls that arrive while it runs', async () => {
    const rounds: string[][] = [];
    let release: () => void = () => undefined;
    const batcher = new AlertInsertBatcher(async (requests) => {
      rounds.push(requests.map(nameOf));
      if (rounds.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return requests.map((req) => ({ inserted: [], duplicates: req.rows.length }));
    });
    const first = batcher.submit(request('a'));
    expect(rounds).toEqual([['a']]);
    const later = [batcher.submit(request('b', 2)), batcher.submit(request('c', 3))];
    release();
    expect(await first).toEqual({ inserted: [], duplicates: 1 });
    expect(await Promise.all(later)).toEqual([
      { inserted: [], duplicates: 2 },
      { inserted: [], duplicates: 3 },
    ]);
    expect(rounds).toEqual([['a'], ['b', 'c']]);
  });

  it('with gatherFirst, takes every call made in the same turn of the event loop into one round', async () => {
    const rounds: string[][] = [];
    const batcher = new AlertInsertBatcher(
      async (requests) => {
        rounds.push(requests.map(nameOf));
        return requests.map((req) => ({ inserted: [], duplicates: req.rows.length }));
      },
      { gatherFirst: true },
    );
    const calls = ['a', 'b', 'c'].map((name) => batcher.submit(request(name)));
    expect(rounds).toEqual([]);
    expect(await Promise.all(calls)).toEqual([1, 1, 1].map((duplicates) => ({ inserted: [], duplicates })));
    expect(rounds).toEqual([['a', 'b', 'c']]);
    // A call after the round started waits for the next one.
    expect(await batcher.submit(request('d'))).toEqual({ inserted: [], duplicates: 1 });
    expect(rounds).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('retries a failed round call by call so that only the bad call fails', async () => {
    const rounds: string[][] = [];
    let release: () => void = () => undefined;
    const batcher = new AlertInsertBatcher(async (requests): Promise<AlertInsertResult[]> => {
      rounds.push(requests.map(nameOf));
      if (rounds.length === 1) await new Promise<void>((resolve) => (release = resolve));
      if (requests.some((req) => nameOf(req) === 'bad')) throw new Error('constraint');
      return requests.map(() => ({ inserted: [], duplicates: 0 }));
    });
    const first = batcher.submit(request('first'));
    const calls = [batcher.submit(request('ok1')), batcher.submit(request('bad')), batcher.submit(request('ok2'))];
    release();
    await first;
    const settled = await Promise.allSettled(calls);
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(rounds).toEqual([['first'], ['ok1', 'bad', 'ok2'], ['ok1'], ['bad'], ['ok2']]);
  });

  it('caps a round at 5,000 alerts but always takes at least one call', async () => {
    const rounds: number[][] = [];
    let release: () => void = () => undefined;
    const batcher = new AlertInsertBatcher(async (requests) => {
      rounds.push(requests.map((req) => req.rows.length));
      if (rounds.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return requests.map(() => ({ inserted: [], duplicates: 0 }));
    });
    const calls = [batcher.submit(request('x'))];
    calls.push(batcher.submit(request('huge', 6_000)), batcher.submit(request('y', 3_000)), batcher.submit(request('z', 2_000)));
    release();
    await Promise.all(calls);
    expect(rounds).toEqual([[1], [6_000], [3_000, 2_000]]);
  });

  it('keeps working after a round throws synchronously', async () => {
    let calls = 0;
    const batcher = new AlertInsertBatcher((requests) => {
      calls += 1;
      if (calls === 1) throw new Error('sync');
      return Promise.resolve(requests.map(() => ({ inserted: [], duplicates: 0 })));
    });
    await expect(batcher.submit(request('a'))).rejects.toThrow('sync');
    await expect(batcher.submit(request('b'))).resolves.toEqual({ inserted: [], duplicates: 0 });
  });
});
