import { incidentUrl as incidentUrlOf } from '../incidents/incident-links.js';
import type { Incident } from '../incidents/incident.js';
import type { FollowUp } from '../incidents/follow-up.js';
import type { Store } from '../store/store.js';
import type { FiledIssue, IssueTracker } from './issue-tracker.js';
import { membersOf } from './tracker-set.js';
import { isRetryable } from '../errors/is-retryable.js';

export interface FileReportInput {
  tracker: IssueTracker;
  store: Pick<Store, 'listFollowUps' | 'setFollowUpRef'>;
  incident: Incident;
  title: string;
  labels?: string[];
  publicUrl: string;
  now: () => Date;
  /** Renders the report now (called again once follow-ups have links, so the report shows them). */
  render: () => Promise<string>;
}

export interface FileReportResult {
  /** One per tracker that succeeded, in configured order; the first is the incident's issue. */
  filed: FiledIssue[];
  failures: { tracker: string; error: Error; transient: boolean }[];
}

/**
 * Files the report to every configured tracker, each on its own: the report issue, then every
 * follow-up as an issue of its own linked to it (where the tracker has issues), then the report
 * again when new follow-up links appeared. One tracker failing never stops the others; what
 * failed comes back, classified (transient or not), for the caller to retry and show.
 */
export async function fileReport(input: FileReportInput): Promise<FileReportResult> {
  const { incident, store } = input;
  const incidentUrl = incidentUrlOf(input.publicUrl, incident.id);
  const body = await input.render();
  const members = membersOf(input.tracker);
  const outcomes = await Promise.allSettled(
    members.map(async (tracker) => {
      const request = { incidentId: incident.id, title: input.title, labels: input.labels };
      const existing = incident.issue?.tracker === tracker.name ? incident.issue : undefined;
      let issue = await tracker.file({ ...request, body, existing });
      if (!tracker.fileFollowUp) return issue;
      let changed = false;
      for (const followUp of await store.listFollowUps(incident.id)) {
        const known = followUp.refs.find((r) => r.tracker === tracker.name);
        const filed = await tracker.fileFollowUp({ incidentId: incident.id, incidentRef: `INC-${incident.number}`, incidentUrl, followUp, parent: issue, existing: known });
        if (!sameRef(known, filed)) {
          await store.setFollowUpRef(followUp.id, { tracker: tracker.name, id: filed.id, url: filed.url }, input.now().toISOString());
          changed = true;
        }
      }
      // The report lists the follow-ups with their links: file it again now that they exist.
      if (changed) issue = await tracker.file({ ...request, body: await input.render(), existing: issue });
      return issue;
    }),
  );
  const result: FileReportResult = { filed: [], failures: [] };
  outcomes.forEach((outcome, k) => {
    if (outcome.status === 'fulfilled') result.filed.push(outcome.value);
    else {
      const error = outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
      result.failures.push({ tracker: members[k].name, error, transient: isRetryable(error) });
    }
  });
  return result;
}

function sameRef(known: FollowUp['refs'][number] | undefined, filed: FiledIssue): boolean {
  return known !== undefined && known.id === filed.id && known.url === filed.url;
}
