import type { Store } from '../../src/store/store.js';
import { openWorld, runScenario } from './incident-crash-world.js';

/*
 * `node --import tsx incident-crash-child.ts <dir> <crashAfter>`: runs the scenario and kills
 * itself with SIGKILL (kill -9) right after its store's `crashAfter`-th commit — every write
 * outside a transaction and every transaction counts as one. With 0 it runs to the end and
 * prints how many commits that took.
 */
const [dir, crashAfterText] = process.argv.slice(2);
const crashAfter = Number(crashAfterText);
let commits = 0;

// Reads do not commit anything; every other store method is one commit.
const READS = /^(get|list|find|count|next|ping|dialect)/;

function countingCommits(store: Store): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      // Bound to the store itself: it keeps private fields a proxy cannot reach.
      if (typeof name !== 'string' || READS.test(name) || name === 'close' || name === 'migrate') return value.bind(target);
      return async (...args: unknown[]) => {
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        commits += 1;
        if (commits === crashAfter) process.kill(process.pid, 'SIGKILL');
        return result;
      };
    },
  });
}

const runtime = await openWorld(dir!, countingCommits);
await runScenario(runtime);
process.stdout.write(`COMMITS ${commits}\n`);
await runtime.close();
await runtime.store.close();
// Whatever timers remain (none of them hold work: that lives in the database) must not delay the next run.
process.exit(0);
