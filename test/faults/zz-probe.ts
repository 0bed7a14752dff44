import { openWorld } from './incident-crash-world.js';
const dir = process.argv[2]!;
const t0 = Date.now();
const rt = await openWorld(dir);
console.log('open', Date.now() - t0);
const t1 = Date.now();
const { runScenario } = await import('./incident-crash-world.js');
const orig = rt.worker.drain.bind(rt.worker);
let calls = 0;
rt.worker.drain = async (n?: number) => {
  calls++;
  const s = Date.now();
  const r = await orig(n);
  if (Date.now() - s > 100) console.log('drain', Date.now() - s, r);
  return r;
};
await runScenario(rt);
console.log('scenario', Date.now() - t1, 'drains', calls, await rt.store.countJobs(), await rt.store.nextJobDue());
await rt.close();
