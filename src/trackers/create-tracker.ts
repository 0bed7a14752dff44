import type { IssueTracker } from './issue-tracker.js';
import { readTrackerConfig, type TrackerConfig, type TrackerConfigInput } from './trackers-config.js';
import { createTrackerOfKind, type TrackerDeps, type TrackerKindEntry } from './tracker-kind.js';
import { TRACKERS } from './tracker-kinds.js';
import { TrackerError } from './tracker-error.js';
import { TrackerSet } from './tracker-set.js';

/**
 * Builds the configured issue tracker(s) from the raw `tracker:` section or a parsed one. Vendor
 * modules (Octokit, jira.js, Gitbeaker) are loaded only when configured: start-up pays for what it
 * uses. Several kinds make a TrackerSet that files to each.
 */
export async function createTracker(input: TrackerConfig | TrackerConfigInput | undefined, deps: TrackerDeps): Promise<IssueTracker> {
  const config = readTrackerConfig(input && 'kinds' in input ? withoutKinds(input) : input, deps.env ?? process.env);
  const trackers: IssueTracker[] = [];
  for (const kind of config.kinds) trackers.push(await createOne(kind, config, deps));
  return trackers.length === 1 ? trackers[0] : new TrackerSet(trackers);
}

async function createOne(kind: TrackerConfig['kind'], config: TrackerConfig, deps: TrackerDeps): Promise<IssueTracker> {
  const entries: readonly TrackerKindEntry[] = TRACKERS;
  const entry = entries.find((tracker) => tracker.name === kind);
  // The schema accepts only registered kinds; this guards a config built by hand.
  if (!entry) throw new TrackerError('TRACKER_NOT_CONFIGURED', `tracker "${kind}" is not a known kind`);
  return createTrackerOfKind(entry, (config as unknown as Record<string, unknown>)[kind], deps);
}

/** A parsed config read again: its `kinds` becomes the `kind` list the schema knows. */
function withoutKinds(config: TrackerConfig): TrackerConfigInput {
  const { kinds, kind: _kind, ...rest } = config;
  return { ...rest, kind: kinds };
}
