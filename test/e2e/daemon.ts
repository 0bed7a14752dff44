import { spawn, type ChildProcess } from 'node:child_process';
import { findFreePort } from './free-port.js';

const LOG_LIMIT = 64 * 1024;

/** A monitoring daemon started for a test, listening on 127.0.0.1. */
export interface Daemon {
  name: string;
  url: string;
  /** The tail of its stdout and stderr, for failure messages. */
  logs(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `binary` with the arguments `args(port)` builds for a free port and waits until
 * `GET <readyPath>` answers 200. If the port was taken in between, tries again on another one.
 * Throws with the daemon's own log when it exits or is not ready within `readyWithinMs`.
 */
export async function startDaemon(options: { name: string; binary: string; args: (port: number) => string[]; readyPath: string; readyWithinMs?: number; attempts?: number }): Promise<Daemon> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const daemon = spawnDaemon(options.name, options.binary, options.args(port), `http://127.0.0.1:${port}`);
    try {
      await daemon.waitReady(options.readyPath, options.readyWithinMs ?? 30_000);
      return daemon;
    } catch (error) {
      await daemon.stop();
      const portLost = /address already in use/i.test(daemon.logs());
      if (!portLost || attempt >= attempts) throw error;
    }
  }
}

function spawnDaemon(name: string, binary: string, args: string[], url: string) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const append = (chunk: Buffer) => {
    log += chunk.toString('utf8');
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // Should the test runner die before afterAll, the daemon must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const daemon = {
    name,
    url,
    logs: () => log,
    async waitReady(path: string, withinMs: number) {
      const deadline = Date.now() + withinMs;
      for (;;) {
        if (spawnError) throw new Error(`${name} could not start: ${spawnError.message}`);
        if (hasExited(child)) throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${log}`);
        try {
          const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(1000) });
          if (response.ok) return;
        } catch {
          /* not listening yet */
        }
        if (Date.now() > deadline) throw new Error(`${name} was not ready at ${url}${path} within ${withinMs} ms:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(graceMs = 5000) {
      process.removeListener('exit', killOnExit);
      if (spawnError || hasExited(child)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return daemon;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
