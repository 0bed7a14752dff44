import { AsyncLocalStorage } from 'node:async_hooks';

/** Ids that say which piece of work a log line belongs to (job, alert, incident, run, box). */
export type LogFields = Record<string, string | undefined>;

const current = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` with its own log fields (a copy of the surrounding ones plus `fields`): every line
 * logged inside, by any module and across awaits, carries them. The worker opens one per job.
 */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return current.run({ ...current.getStore(), ...fields }, fn);
}

/**
 * Adds ids learnt along the way (the incident and run a job turns out to be about) to the
 * current context; outside any context it does nothing.
 */
export function addLogContext(fields: LogFields): void {
  const store = current.getStore();
  if (store) Object.assign(store, fields);
}

/** pino's `mixin`: the current context's fields, merged into every log line. */
export function logContextMixin(): LogFields {
  const store = current.getStore();
  if (!store) return {};
  return Object.fromEntries(Object.entries(store).filter(([, value]) => value !== undefined));
}
