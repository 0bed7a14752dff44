import { z } from 'zod';
import { defineTrackerKind } from '../tracker-kind.js';

/** GitHub issues: `tracker.github` and GITHUB_TOKEN, GITHUB_REPO, GITHUB_API_URL. */
export const githubTracker = defineTrackerKind({
  name: 'github',
  schema: z
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
  env: [
    ['token', 'GITHUB_TOKEN'],
    ['repo', 'GITHUB_REPO'],
    ['apiUrl', 'GITHUB_API_URL'],
  ],
  requires: ['token', 'repo'],
  async create(config, deps) {
    const { token, repo, apiUrl, labels, assignees } = config;
    const { GitHubTracker } = await import('./github.js');
    return new GitHubTracker({ token, repo, apiUrl, labels, assignees, store: deps.store, log: deps.log });
  },
});
