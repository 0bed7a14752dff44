import type { FiledIssue, IssueRequest, IssueTracker } from './issue-tracker.js';

/**
 * Several trackers (`kind: [github, jira]`). `fileReport` files to each on its own, so one that
 * fails never blocks the others; `file` here is for callers that know a single tracker: it files
 * to every member and answers with the first one's issue.
 */
export class TrackerSet implements IssueTracker {
  readonly name: string;

  constructor(readonly members: readonly IssueTracker[]) {
    if (members.length === 0) throw new Error('a tracker set needs at least one tracker');
    this.name = members.map((m) => m.name).join('+');
  }

  async file(request: IssueRequest): Promise<FiledIssue> {
    const results = await Promise.allSettled(this.members.map((m) => m.file({ ...request, existing: request.existing?.tracker === m.name ? request.existing : undefined })));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return (results[0] as PromiseFulfilledResult<FiledIssue>).value;
  }
}

/** The trackers behind `tracker`: the members of a set, or the tracker itself. */
export function membersOf(tracker: IssueTracker): readonly IssueTracker[] {
  const members = (tracker as Partial<TrackerSet>).members;
  return Array.isArray(members) && members.length > 0 ? members : [tracker];
}
