import { z } from 'zod';
import { isConfigured, type TrackerKindEntry } from './tracker-kind.js';
import { TRACKERS } from './tracker-kinds.js';

type Trackers = (typeof TRACKERS)[number];
export type TrackerKind = Trackers['name'];
export const TRACKER_KINDS: readonly TrackerKind[] = TRACKERS.map((tracker) => tracker.name);

/** Each kind's sub-section (`tracker.github`, `tracker.jira`), from its registry entry. */
const kindSections = Object.fromEntries(TRACKERS.map((tracker) => [tracker.name, tracker.schema])) as { [T in Trackers as T['name']]: T['schema'] };

/** The `tracker:` section of sidekick.yaml. Tokens come from the environment, never the file. */
export const trackerConfigSchema = z
  .object({
    /**
     * One tracker or several (`[github, jira]`: the report is filed to each). Defaults to every
     * tracker whose variables are set (GitHub, Jira, GitLab), else `markdown`.
     */
    kind: z.union([z.enum(TRACKER_KINDS), z.array(z.enum(TRACKER_KINDS)).min(1)]).optional(),
    ...kindSections,
  })
  .strict();

export type TrackerConfigInput = z.input<typeof trackerConfigSchema>;
export type TrackerConfig = Omit<z.output<typeof trackerConfigSchema>, 'kind'> & {
  /** The first tracker (kept for callers that know one); `kinds` lists them all. */
  kind: TrackerKind;
  kinds: TrackerKind[];
};

/** Parses `tracker:`, filling each kind's settings from its variables (GITHUB_*, JIRA_*, GITLAB_*). */
export function readTrackerConfig(input: unknown = {}, env: NodeJS.ProcessEnv = process.env): TrackerConfig {
  const raw = (input ?? {}) as Record<string, unknown>;
  const entries: readonly TrackerKindEntry[] = TRACKERS;
  const filled: Record<string, unknown> = { ...raw };
  for (const { name, env: variables } of entries) {
    if (variables.length === 0) continue;
    const out = { ...((raw[name] as Record<string, unknown>) ?? {}) };
    for (const [key, variable] of variables) if (out[key] === undefined && env[variable]) out[key] = env[variable];
    filled[name] = out;
  }
  const parsed = trackerConfigSchema.parse(filled);
  const sections = parsed as unknown as Record<string, unknown>;
  const configured = entries.filter((tracker) => isConfigured(tracker, sections[tracker.name])).map((tracker) => tracker.name as TrackerKind);
  const kinds = parsed.kind === undefined ? (configured.length ? configured : ['markdown' as const]) : [...new Set(Array.isArray(parsed.kind) ? parsed.kind : [parsed.kind])];
  return { ...parsed, kind: kinds[0], kinds };
}
