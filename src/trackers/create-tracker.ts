import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { IssueTracker } from './issue-tracker.js';
import type { Store } from '../store/store.js';
import { readTrackerConfig, type TrackerConfig, type TrackerConfigInput } from './trackers-config.js';
import { MarkdownFileTracker } from './markdown-file.js';
import { TrackerError } from './tracker-error.js';

export interface TrackerDeps {
  dataDir: string;
  publicUrl: string;
  store?: Pick<Store, 'getEffect' | 'putEffect'>;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
}

/**
 * Builds the configured issue tracker from the raw `tracker:` section or a parsed one. The GitHub
 * tracker (and Octokit with it) is loaded only when configured: start-up pays for what it uses.
 */
export async function createTracker(input: TrackerConfig | TrackerConfigInput | undefined, deps: TrackerDeps): Promise<IssueTracker> {
  const config = readTrackerConfig(input, deps.env ?? process.env);
  if (config.kind === 'markdown') {
    const dir = config.markdown.dir ? resolve(deps.dataDir, config.markdown.dir) : join(deps.dataDir, 'reports');
    return new MarkdownFileTracker({ dir, publicUrl: deps.publicUrl });
  }
  const { token, repo, apiUrl, labels, assignees } = config.github;
  if (!token || !repo) {
    throw new TrackerError('TRACKER_NOT_CONFIGURED', 'tracker.kind is "github" but GITHUB_TOKEN or GITHUB_REPO is not set; set both or use kind "markdown"');
  }
  const { GitHubTracker } = await import('./github.js');
  return new GitHubTracker({ token, repo, apiUrl, labels, assignees, store: deps.store, log: deps.log });
}
