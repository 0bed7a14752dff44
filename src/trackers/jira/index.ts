import { z } from 'zod';
import { defineTrackerKind } from '../tracker-kind.js';

/** Jira Cloud or Data Center: `tracker.jira` and JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PROJECT, JIRA_ISSUE_TYPE. */
export const jiraTracker = defineTrackerKind({
  name: 'jira',
  schema: z
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
  env: [
    ['url', 'JIRA_URL'],
    ['email', 'JIRA_EMAIL'],
    ['token', 'JIRA_API_TOKEN'],
    ['project', 'JIRA_PROJECT'],
    ['issueType', 'JIRA_ISSUE_TYPE'],
  ],
  requires: ['url', 'token', 'project'],
  hint: '(and JIRA_EMAIL for Jira Cloud)',
  async create(config, deps) {
    const { url, email, token, project, issueType, labels } = config;
    const { JiraTracker } = await import('./jira.js');
    return new JiraTracker({ url, email, token, project, issueType, labels, store: deps.store, log: deps.log });
  },
});
