import { afterAll, afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../store.js';
import { listTestTargets, type TestTarget } from './test-stores.js';

/** What a shared suite's body gets: the current test's store and the target it runs on. */
export interface StoreSuite {
  /** The store of the running test: migrated and empty. */
  store(): Store;
  readonly target: TestTarget;
  /** Opens another store; closed after the test (PostgreSQL: a sibling instance on one schema). */
  sibling(): Promise<Store>;
}

/**
 * Runs `body` once per dialect target (see `listTestTargets`), each test on an empty store.
 *
 * @example
 * await describeEachStore('alerts', ({ store }) => { it('counts', async () => { … }); });
 */
export async function describeEachStore(fileKey: string, body: (suite: StoreSuite) => void): Promise<void> {
  const targets = await listTestTargets(fileKey);
  for (const target of targets) {
    describe.skipIf(target.skipReason !== undefined)(`${target.name}`, () => {
      let current: Store | undefined;
      const extra: Store[] = [];
      beforeEach(async () => {
        current = await target.open();
      });
      afterEach(async () => {
        await Promise.all(extra.splice(0).map((store) => store.close()));
        await current?.close();
        current = undefined;
      });
      afterAll(() => target.dispose());
      body({
        target,
        store: () => {
          if (!current) throw new Error('no store: call store() inside a test');
          return current;
        },
        sibling: async () => {
          if (!target.openSibling) throw new Error(`${target.name} has no sibling instances`);
          const store = await target.openSibling();
          extra.push(store);
          return store;
        },
      });
    });
  }
}
