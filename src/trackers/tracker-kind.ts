import type { z } from 'zod';
import type { Logger } from 'pino';
import type { FiledIssueStore } from './filed-issues.js';
import type { IssueTracker } from './issue-tracker.js';
import { TrackerError } from './tracker-error.js';

/** What every tracker is built with. */
export interface TrackerDeps {
  dataDir: string;
  publicUrl: string;
  store?: FiledIssueStore;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
}

/** A kind's settings with the required ones (`R`) known to be set. */
export type WithRequired<C, R extends string> = C & { [K in R & keyof C]-?: NonNullable<C[K]> };

/**
 * One kind of tracker as the registry (`tracker-kinds.ts`) knows it: its sub-section of `tracker:`
 * (`tracker.github`), the variables that fill it, the settings it cannot file without, and how to
 * build it. `create` loads the vendor's library with `import()`, so a tracker nobody configured
 * costs nothing at start-up.
 */
export interface TrackerKindEntry<N extends string = string, S extends z.ZodType = z.ZodType, R extends string = string> {
  /** `tracker.kind` names it; also its sub-section's key. */
  readonly name: N;
  /** The sub-section, defaults included. */
  readonly schema: S;
  /** Settings the environment fills when the file leaves them out: `[setting, VARIABLE]`. */
  readonly env: readonly (readonly [string, string])[];
  /**
   * Settings that must be set to file. When all are, the kind is filed to by default (no
   * `tracker.kind`); a kind that requires none is never chosen by its settings (the Markdown
   * fallback). Named without them, it is refused before `create` with their variables.
   */
  readonly requires: readonly R[];
  /** Said after the missing variables, e.g. `(and GITLAB_URL when self-managed)`. */
  readonly hint?: string;
  create(config: WithRequired<z.output<S>, R>, deps: TrackerDeps): Promise<IssueTracker>;
}

/** Declares a tracker kind's registry entry, keeping its name, settings and required settings precise. */
export function defineTrackerKind<const N extends string, S extends z.ZodType, const R extends keyof z.output<S> & string = never>(entry: TrackerKindEntry<N, S, R>): TrackerKindEntry<N, S, R> {
  return entry;
}

/** The required settings `config` leaves unset (empty counts as unset). */
function missingSettings(entry: TrackerKindEntry, config: unknown): string[] {
  const settings = (config ?? {}) as Record<string, unknown>;
  return entry.requires.filter((setting) => !settings[setting]);
}

/** Whether `entry` is filed to by default: it requires settings, and `config` sets them all. */
export function isConfigured(entry: TrackerKindEntry, config: unknown): boolean {
  return entry.requires.length > 0 && missingSettings(entry, config).length === 0;
}

/** Builds `entry`'s tracker, refusing first (TRACKER_NOT_CONFIGURED) when a required setting is unset. */
export function createTrackerOfKind(entry: TrackerKindEntry, config: unknown, deps: TrackerDeps): Promise<IssueTracker> {
  const missing = missingSettings(entry, config);
  if (missing.length > 0) {
    const variables = missing.map((setting) => entry.env.find(([key]) => key === setting)?.[1] ?? `tracker.${entry.name}.${setting}`);
    const hint = entry.hint ? ` ${entry.hint}` : '';
    throw new TrackerError('TRACKER_NOT_CONFIGURED', `tracker "${entry.name}" needs ${listOf(variables)}${hint}`);
  }
  // Every required setting was found set just above.
  return entry.create(config as WithRequired<unknown, string>, deps);
}

/** `A`, `A and B`, `A, B and C`. */
function listOf(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : items.join('');
}
