import { z } from 'zod';
import { defineTrackerKind } from '../tracker-kind.js';

/** GitLab issues: `tracker.gitlab` and GITLAB_URL, GITLAB_TOKEN, GITLAB_PROJECT. */
export const gitlabTracker = defineTrackerKind({
  name: 'gitlab',
  schema: z
    .object({
      url: z.url({ protocol: /^https?$/ }).default('https://gitlab.com'),
      token: z.string().optional(),
      /** The numeric id or the path (`group/project`). */
      project: z.string().min(1).optional(),
      labels: z.array(z.string().min(1).max(255)).default(['incident']),
    })
    .strict()
    .default({ url: 'https://gitlab.com', labels: ['incident'] }),
  env: [
    ['url', 'GITLAB_URL'],
    ['token', 'GITLAB_TOKEN'],
    ['project', 'GITLAB_PROJECT'],
  ],
  requires: ['token', 'project'],
  hint: '(and GITLAB_URL when self-managed)',
  async create(config, deps) {
    const { url, token, project, labels } = config;
    const { GitLabTracker } = await import('./gitlab.js');
    return new GitLabTracker({ url, token, project, labels, store: deps.store, log: deps.log });
  },
});
