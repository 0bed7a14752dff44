import { z } from 'zod';

export const TRACKER_KINDS = ['markdown', 'github', 'jira', 'gitlab'] as const;
export type TrackerKind = (typeof TRACKER_KINDS)[number];

/** The `tracker:` section of sidekick.yaml. Tokens come from the environment, never the file. */
export const trackerConfigSchema = z
  .object({
    /**
     * One tracker or several (`[github, jira]`: the report is filed to each). Defaults to every
     * tracker whose variables are set (GitHub, Jira, GitLab), else `markdown`.
     */
    kind: z.union([z.enum(TRACKER_KINDS), z.array(z.enum(TRACKER_KINDS)).min(1)]).optional(),
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
        repo: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected "owner/name"')
          .optional(),
        apiUrl: z.url({ protocol: /^https?$/ }).default('https://api.github.com'),
        labels: z.array(z.string().min(1).max(50)).default(['incident']),
        assignees: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ apiUrl: 'https://api.github.com', labels: ['incident'], assignees: [] }),
    jira: z
      .object({
        /** The site (`https://acme.atlassian.net`) or the Data Center base URL. */
        url: z.url({ protocol: /^https?$/ }).optional(),
        /** Cloud: the account email for basic auth with the API token. Unset: Data Center, the token is a personal access token. */
        email: z.string().min(3).optional(),
        token: z.string().optional(),
        project: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a project key such as OPS')
          .optional(),
        issueType: z.string().min(1).optional(),
        labels: z.array(z.string().min(1).max(255)).default(['incident']),
      })
      .strict()
      .default({ labels: ['incident'] }),
    gitlab: z
      .object({
        url: z.url({ protocol: /^https?$/ }).default('https://gitlab.com'),
        token: z.string().optional(),
        /** The numeric id or the path (`group/project`). */
        project: z.string().min(1).optional(),
        labels: z.array(z.string().min(1).max(255)).default(['incident']),
      })
      .strict()
      .default({ url: 'https://gitlab.com', labels: ['incident'] }),
  })
  .strict();

export type TrackerConfigInput = z.input<typeof trackerConfigSchema>;
export type TrackerConfig = Omit<z.output<typeof trackerConfigSchema>, 'kind'> & {
  /** The first tracker (kept for callers that know one); `kinds` lists them all. */
  kind: TrackerKind;
  kinds: TrackerKind[];
};

/** Parses `tracker:`, filling settings from GITHUB_*, JIRA_* and GITLAB_* variables. */
export function readTrackerConfig(input: unknown = {}, env: NodeJS.ProcessEnv = process.env): TrackerConfig {
  const raw = (input ?? {}) as Record<string, unknown>;
  const fill = (section: string, pairs: [string, string | undefined][]) => {
    const out = { ...((raw[section] as Record<string, unknown>) ?? {}) };
    for (const [key, value] of pairs) if (out[key] === undefined && value) out[key] = value;
    return out;
  };
  const github = fill('github', [
    ['token', env.GITHUB_TOKEN],
    ['repo', env.GITHUB_REPO],
    ['apiUrl', env.GITHUB_API_URL],
  ]);
  const jira = fill('jira', [
    ['url', env.JIRA_URL],
    ['email', env.JIRA_EMAIL],
    ['token', env.JIRA_API_TOKEN],
    ['project', env.JIRA_PROJECT],
    ['issueType', env.JIRA_ISSUE_TYPE],
  ]);
  const gitlab = fill('gitlab', [
    ['url', env.GITLAB_URL],
    ['token', env.GITLAB_TOKEN],
    ['project', env.GITLAB_PROJECT],
  ]);
  const parsed = trackerConfigSchema.parse({ ...raw, github, jira, gitlab });
  const configured: TrackerKind[] = [];
  if (parsed.github.token && parsed.github.repo) configured.push('github');
  if (parsed.jira.url && parsed.jira.token && parsed.jira.project) configured.push('jira');
  if (parsed.gitlab.token && parsed.gitlab.project) configured.push('gitlab');
  const kinds = parsed.kind === undefined ? (configured.length ? configured : ['markdown' as const]) : [...new Set(Array.isArray(parsed.kind) ? parsed.kind : [parsed.kind])];
  return { ...parsed, kind: kinds[0], kinds };
}
