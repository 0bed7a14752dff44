import { describe, expect, it } from 'vitest';
import { describeMachine, readCpuMs, readRssMiB } from './machine.js';

describe('machine details', () => {
  it('describes this machine with a CPU, cores, memory and Node version', () => {
    const machine = describeMachine(process.cwd());
    expect(machine.cores).toBeGreaterThan(0);
    expect(machine.memoryGiB).toBeGreaterThan(0);
    expect(machine.node).toBe(process.version);
    expect(machine.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it.runIf(process.platform === 'linux')('reads this process’s memory and a CPU time that grows with work', () => {
    const memory = readRssMiB(process.pid)!;
    expect(memory.rss).toBeGreaterThan(10);
    expect(memory.peak).toBeGreaterThanOrEqual(memory.rss);
    const before = readCpuMs(process.pid)!;
    expect(before).toBeGreaterThan(0);
    // Spin until the kernel has charged a tick (10 ms) more; a parser that misreads the fields never sees it grow.
    const until = Date.now() + 5_000;
    let spin = 0;
    while (Date.now() < until && readCpuMs(process.pid)! <= before) for (let i = 0; i < 100_000; i++) spin += Math.sqrt(i);
    expect(spin).toBeGreaterThan(0);
    expect(readCpuMs(process.pid)!).toBeGreaterThan(before);
  });

  it('answers undefined, not a crash, for a process that does not exist', () => {
    expect(readRssMiB(2 ** 30)).toBeUndefined();
    expect(readCpuMs(2 ** 30)).toBeUndefined();
  });
});
