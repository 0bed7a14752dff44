import { describe, expect, it } from 'vitest';
import { CompleteBatcher } from './complete-batcher.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CompleteBatcher', () => {
  it('deletes a job that finishes with nothing else running in the next turn, by itself', async () => {
    const deletes: string[][] = [];
    const batcher = new CompleteBatcher(async (ids) => void deletes.push(ids));
    const first = batcher.add('a');
    await nextTurn();
    const second = batcher.add('b');
    await Promise.all([first, second]);
    expect(deletes).toEqual([['a'], ['b']]);
  });

  it('lets jobs finishing turns apart share one delete while others are still running', async () => {
    const deletes: string[][] = [];
    const batcher = new CompleteBatcher(
      async (ids) => void deletes.push(ids),
      () => true,
    );
    const done = [batcher.add('a')];
    await nextTurn();
    done.push(batcher.add('b'));
    await nextTurn();
    done.push(batcher.add('c'));
    await Promise.all(done);
    expect(deletes).toEqual([['a', 'b', 'c']]);
  });

  it('settles every job of a failed delete with the failure', async () => {
    const batcher = new CompleteBatcher(
      async () => {
        throw new Error('database gone');
      },
      () => true,
    );
    const results = await Promise.allSettled([batcher.add('a'), batcher.add('b')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
