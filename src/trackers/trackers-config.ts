import { z } from 'zod';

/** The `tracker:` section of sidekick.yaml. The token comes from the environment, never the file. */
export const trackerConfigSchema = z
  .object({
    /** Defaults to `github` when GITHUB_TOKEN and GITHUB_REPO are set, else `markdown`. */
    kind: z.enum(['markdown', 'github']).optional(),
    markdown: z
      .object({
        /** Defaults to `<SIDEKICK_DATA_DIR>/reports`. */
        dir: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    github: z
      .object({
        token: z.string().optional(),
        repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected "owner/name"').optional(),
        apiUrl: z.url({ protocol: /^https?$/ }).default('https://api.github.com'),
        labels: z.array(z.string().min(1).max(50)).default(['incident']),
        assignees: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ apiUrl: 'https://api.github.com', labels: ['incident'], assignees: [] }),
  })
  .strict();

export type TrackerConfigInput = z.input<typeof trackerConfigSchema>;
export type TrackerConfig = z.output<typeof trackerConfigSchema> & { kind: 'markdown' | 'github' };

/** Parses `tracker:`, filling GitHub settings from GITHUB_TOKEN, GITHUB_REPO and GITHUB_API_URL. */
export function readTrackerConfig(input: unknown = {}, env: NodeJS.ProcessEnv = process.env): TrackerConfig {
  const raw = (input ?? {}) as { github?: Record<string, unknown> } & Record<string, unknown>;
  const github = { ...(raw.github ?? {}) };
  if (github.token === undefined && env.GITHUB_TOKEN) github.token = env.GITHUB_TOKEN;
  if (github.repo === undefined && env.GITHUB_REPO) github.repo = env.GITHUB_REPO;
  if (github.apiUrl === undefined && env.GITHUB_API_URL) github.apiUrl = env.GITHUB_API_URL;
  const parsed = trackerConfigSchema.parse({ ...raw, github });
  const hasGitHub = Boolean(parsed.github.token && parsed.github.repo);
  return { ...parsed, kind: parsed.kind ?? (hasGitHub ? 'github' : 'markdown') };
}
