import { githubTracker } from './github-kind.js';
import { gitlabTracker } from './gitlab-kind.js';
import { jiraTracker } from './jira-kind.js';
import { markdownTracker } from './markdown-kind.js';

/**
 * Every kind of tracker. A new tracker is its module, its `<kind>-kind.ts` entry
 * (`defineTrackerKind`) and one line here: its sub-section of `tracker:`, its variables, its
 * default choice and its creation all come from this list. The order is the order trackers
 * configured by their variables are filed to.
 */
export const TRACKERS = [markdownTracker, githubTracker, jiraTracker, gitlabTracker] as const;
