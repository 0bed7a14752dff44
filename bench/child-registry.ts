import type { ChildProcess } from 'node:child_process';

/** Every child process the benchmark started, so an interrupted run stops exactly these. */
const started = new Set<ChildProcess>();

/** Registers a child to be stopped if the run is interrupted or a benchmark overruns its budget. */
export function trackChild(child: ChildProcess): void {
  started.add(child);
  child.on('exit', () => started.delete(child));
}

/** Stops every child this process started (SIGKILL by pid), and nothing else. */
export function killStartedChildren(): void {
  for (const child of started) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
}
