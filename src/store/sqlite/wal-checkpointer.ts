import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The checkpointer's thread: its own connection to the same file, a PASSIVE checkpoint every
 * `everyMs` (it never blocks readers or writers), plain CommonJS so it runs the same under tsx,
 * vitest and the built code.
 */
const THREAD_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. A checkpoint copies the WAL into the
 * database and fsyncs both: 40–50 ms for the 16 MB the connection would otherwise checkpoint
 * inline, stalling every webhook and box behind it (the p99 of the alert → message benchmark).
 * A worker thread checkpoints every second instead; the main connection keeps a far higher
 * automatic threshold only as a backstop should the thread ever fall behind.
 */
export function startWalCheckpointer(file: string, options: { everyMs?: number; onError?(message: string): void } = {}): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { file, driver, everyMs: options.everyMs ?? 1000 } });
  worker.unref();
  worker.on('message', (message: { error?: string }) => {
    if (message.error) options.onError?.(message.error);
  });
  worker.on('error', (error) => options.onError?.(error.message));
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          void worker.terminate().finally(resolve);
        };
        // A last checkpoint, but never wait long for it.
        const timer = setTimeout(done, 2000);
        worker.once('message', done);
        worker.once('exit', done);
        worker.postMessage('stop');
      });
      return stopped;
    },
  };
}
