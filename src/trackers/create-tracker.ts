import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { IssueTracker } from './issue-tracker.js';
import type { FiledIssueStore } from './filed-issues.js';
import { readTrackerConfig, type TrackerConfig, type TrackerConfigInput } from './trackers-config.js';
import { MarkdownFileTracker } from './markdown-file.js';
import { TrackerError } from './tracker-error.js';
import { TrackerSet } from './tracker-set.js';

export interface TrackerDeps {
  dataDir: string;
  publicUrl: string;
  store?: FiledIssueStore;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
}

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
  if (kind === 'markdown') {
    const dir = config.markdown.dir ? resolve(deps.dataDir, config.markdown.dir) : join(deps.dataDir, 'reports');
    return new MarkdownFileTracker({ dir, publicUrl: deps.publicUrl });
  }
  if (kind === 'jira') {
    const { url, email, token, project, issueType, labels } = config.jira;
    if (!url || !token || !project) {
      throw new TrackerError('TRACKER_NOT_CONFIGURED', 'tracker "jira" needs JIRA_URL, JIRA_API_TOKEN and JIRA_PROJECT (and JIRA_EMAIL for Jira Cloud)');
    }
    const { JiraTracker } = await import('./jira.js');
    return new JiraTracker({ url, email, token, project, issueType, labels, store: deps.store, log: deps.log });
  }
  if (kind === 'gitlab') {
    const { url, token, project, labels } = config.gitlab;
    if (!token || !project) throw new TrackerError('TRACKER_NOT_CONFIGURED', 'tracker "gitlab" needs GITLAB_TOKEN and GITLAB_PROJECT (and GITLAB_URL when self-managed)');
    const { GitLabTracker } = await import('./gitlab.js');
    return new GitLabTracker({ url, token, project, labels, store: deps.store, log: deps.log });
  }
  const { token, repo, apiUrl, labels, assignees } = config.github;
  if (!token || !repo) {
    throw new TrackerError('TRACKER_NOT_CONFIGURED', 'tracker.kind is "github" but GITHUB_TOKEN or GITHUB_REPO is not set; set both or use kind "markdown"');
  }
  const { GitHubTracker } = await import('./github.js');
  return new GitHubTracker({ token, repo, apiUrl, labels, assignees, store: deps.store, log: deps.log });
}

/** A parsed config read again: its `kinds` becomes the `kind` list the schema knows. */
function withoutKinds(config: TrackerConfig): TrackerConfigInput {
  const { kinds, kind: _kind, ...rest } = config;
  return { ...rest, kind: kinds };
}
