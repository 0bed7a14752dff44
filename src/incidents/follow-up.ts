/** Where a follow-up was filed in one tracker (`tracker` is the tracker's name: github, jira, gitlab). */
export interface FollowUpRef {
  tracker: string;
  /** The tracker's own id: an issue number, a Jira key, a GitLab iid. */
  id: string;
  url: string;
}

/** Who owns a follow-up: a display name, and the chat user id when the owner was mentioned in chat. */
export interface FollowUpOwner {
  name: string;
  userId?: string;
}

/** An action item of an incident: what to do and who owns it, filed as an issue of its own. */
export interface FollowUp {
  id: string;
  incidentId: string;
  text: string;
  owner?: FollowUpOwner;
  createdBy: string;
  createdAt: string;
  /** One per tracker it was filed to, so filing again edits instead of duplicating. */
  refs: FollowUpRef[];
}

/** The longest follow-up text kept (an issue title is cut shorter by each tracker). */
export const MAX_FOLLOW_UP_TEXT = 1000;
