import { githubTracker } from './github/index.js';
import { gitlabTracker } from './gitlab/index.js';
import { jiraTracker } from './jira/index.js';
import { markdownTracker } from './markdown/index.js';

/**
 * Every kind of tracker. A new tracker is one folder, `<kind>/`, whose `index.ts` exports its entry
 * (`defineTrackerKind`), plus one line here: its sub-section of `tracker:`, its variables, its
 * default choice and its creation all come from this list. The order is the order trackers
 * configured by their variables are filed to.
 */
export const TRACKERS = [markdownTracker, githubTracker, jiraTracker, gitlabTracker] as const;
