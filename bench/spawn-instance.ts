import { fork } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './bench-sidekick.js';
import type { InstanceOptions, InstanceRequest } from './instance.js';
import { trackChild } from './child-registry.js';

/** A Sidekick running in a child process (bench/instance.ts). */
export interface InstanceHandle {
  url: string;
  pid: number;
  ask<T>(type: InstanceRequest['type'], extra?: Partial<InstanceRequest>): Promise<T>;
  /** Graceful close; kills the process (SIGKILL, by its pid) if it does not exit in 15 s. */
  close(): Promise<void>;
  /** The end of what it wrote to stderr, for error messages. */
  stderrTail(): string;
}

/** Forks bench/instance.ts with tsx and resolves once it listens. */
export function spawnInstance(options: InstanceOptions, timeoutMs = 60_000): Promise<InstanceHandle> {
  const child = fork(join(REPO_ROOT, 'bench/instance.ts'), [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    // Only what Node and tsx need: no credentials from the parent's environment.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BENCH_INSTANCE: JSON.stringify(options) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  trackChild(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let nextId = 1;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
    const pending = message.id === undefined ? undefined : waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id!);
    if (message.error !== undefined) pending.reject(new Error(message.error));
    else pending.resolve(message.result);
  });
  child.on('exit', (code) => {
    for (const pending of waiting.values()) pending.reject(new Error(`instance exited (${code}): ${stderr.slice(-500)}`));
    waiting.clear();
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`instance not ready in ${timeoutMs} ms: ${stderr.slice(-500)}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited (${code}) before it was ready: ${stderr.slice(-1000)}`));
    });
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message.type !== 'ready' || !message.url) return;
      clearTimeout(timer);
      const handle: InstanceHandle = {
        url: message.url,
        pid: child.pid!,
        ask<T>(type: InstanceRequest['type'], extra: Partial<InstanceRequest> = {}) {
          return new Promise<T>((resolveAsk, rejectAsk) => {
            if (child.exitCode !== null || !child.connected) return rejectAsk(new Error(`instance has exited: ${stderr.slice(-500)}`));
            const id = nextId++;
            waiting.set(id, { resolve: resolveAsk as (value: unknown) => void, reject: rejectAsk });
            child.send({ ...extra, id, type });
          });
        },
        async close() {
          if (child.exitCode !== null) return;
          const exited = new Promise<void>((done) => child.once('exit', () => done()));
          const killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await handle.ask('close').catch(() => undefined);
          await exited;
          clearTimeout(killTimer);
        },
        stderrTail: () => stderr,
      };
      resolve(handle);
    });
  });
}
