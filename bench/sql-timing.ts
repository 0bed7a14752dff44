import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

/** Time spent in one SQL text (better-sqlite3, this process). */
export interface StatementTiming {
  sql: string;
  calls: number;
  ms: number;
}

type Method = 'all' | 'get' | 'run' | 'iterate';
const METHODS: Method[] = ['all', 'get', 'run', 'iterate'];

/**
 * Times every better-sqlite3 statement this process runs, by SQL text, until `stop()`. The CPU
 * profile cannot say which query a native SQLite call belongs to (Kysely's awaits cut the stack);
 * this can. It wraps the methods on Statement's prototype, so every database of the process is
 * covered, and puts them back on stop.
 */
export function timeSqliteStatements(): { stop(): StatementTiming[] } {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<Method, (...args: unknown[]) => unknown>;
  probe.close();
  const originals = new Map<Method, (...args: unknown[]) => unknown>();
  const timings = new Map<string, StatementTiming>();
  for (const method of METHODS) {
    const original = proto[method];
    originals.set(method, original);
    proto[method] = function timed(this: { source: string }, ...args: unknown[]) {
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const entry = timings.get(this.source) ?? { sql: this.source, calls: 0, ms: 0 };
        entry.calls += 1;
        entry.ms += performance.now() - started;
        timings.set(this.source, entry);
      }
    };
  }
  return {
    stop() {
      for (const [method, original] of originals) proto[method] = original;
      return [...timings.values()].sort((a, b) => b.ms - a.ms);
    },
  };
}

/**
 * SQL shortened for a table: whitespace folded, long `(?, ?, …)` lists collapsed, and when still
 * longer than `max`, its head and tail (two statements often differ only at the end).
 */
export function shortenSql(sql: string, max = 140): string {
  const folded = sql
    .replace(/\s+/g, ' ')
    .replace(/\((?:\s*\?\s*,){3,}\s*\?\s*\)/g, '(?, …)')
    .replace(/(?:\(\?, …\)\s*,\s*)+\(\?, …\)/g, '(?, …), …')
    .trim();
  if (folded.length <= max) return folded;
  const head = Math.ceil((max - 3) * 0.55);
  const tail = max - 3 - head;
  return `${folded.slice(0, head)} … ${folded.slice(folded.length - tail)}`;
}
