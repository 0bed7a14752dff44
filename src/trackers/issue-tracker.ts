import type { FollowUp, FollowUpRef } from '../incidents/follow-up.js';

/** Files the incident report somewhere people track follow-up work. */
export interface IssueTracker {
  readonly name: string;
  /**
   * Files the report, or updates the issue already filed for this incident (`existing`), so a
   * retried or re-resolved incident never opens a second issue.
   */
  file(request: IssueRequest): Promise<FiledIssue>;
  /**
   * Files one follow-up as an issue of its own, linked to the report's issue `parent`, or updates
   * the one filed before (`existing`, else found by a marker). Trackers without issues of their
   * own (Markdown files) leave it out: the report lists the follow-ups.
   */
  fileFollowUp?(request: FollowUpIssueRequest): Promise<FiledIssue>;
}

export interface FollowUpIssueRequest {
  incidentId: string;
  /** `INC-42`. */
  incidentRef: string;
  incidentUrl: string;
  followUp: FollowUp;
  /** The report's issue in this tracker. */
  parent: FiledIssue;
  existing?: FollowUpRef;
}

export interface IssueRequest {
  incidentId: string;
  title: string;
  body: string;
  labels?: string[];
  assignees?: string[];
  existing?: FiledIssue;
}

export interface FiledIssue {
  tracker: string;
  id: string;
  url: string;
}
