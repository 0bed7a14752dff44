/** Files the incident report somewhere people track follow-up work. */
export interface IssueTracker {
  readonly name: string;
  /**
   * Files the report, or updates the issue already filed for this incident (`existing`), so a
   * retried or re-resolved incident never opens a second issue.
   */
  file(request: IssueRequest): Promise<FiledIssue>;
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
