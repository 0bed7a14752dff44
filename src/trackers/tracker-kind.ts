import type { z } from 'zod';
import type { Logger } from 'pino';
import type { FiledIssueStore } from './filed-issues.js';
import type { IssueTracker } from './issue-tracker.js';

/** What every tracker is built with. */
export interface TrackerDeps {
  dataDir: string;
  publicUrl: string;
  store?: FiledIssueStore;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
}

/**
 * One kind of tracker as the registry (`tracker-kinds.ts`) knows it: its sub-section of `tracker:`
 * (`tracker.github`), the variables that fill it, and how to build it. `create` loads the vendor's
 * library with `import()`, so a tracker nobody configured costs nothing at start-up.
 */
export interface TrackerKindEntry<N extends string = string, S extends z.ZodType = z.ZodType> {
  /** `tracker.kind` names it; also its sub-section's key. */
  readonly name: N;
  /** The sub-section, defaults included. */
  readonly schema: S;
  /** Settings the environment fills when the file leaves them out: `[setting, VARIABLE]`. */
  readonly env: readonly (readonly [string, string])[];
  /** Filed to by default (no `tracker.kind`) when true. */
  isConfigured(config: z.output<S>): boolean;
  create(config: z.output<S>, deps: TrackerDeps): Promise<IssueTracker>;
}

/** Declares a tracker kind's registry entry, keeping its name and settings type precise. */
export function defineTrackerKind<const N extends string, S extends z.ZodType>(entry: TrackerKindEntry<N, S>): TrackerKindEntry<N, S> {
  return entry;
}
