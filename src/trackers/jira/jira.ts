import { createHash } from 'node:crypto';
import { Version2Client, Version3Client } from 'jira.js';
import type { Logger } from 'pino';
import type { FiledIssue, FollowUpIssueRequest, IssueRequest, IssueTracker } from '../issue-tracker.js';
import { TrackerError } from '../tracker-error.js';
import { callOnce } from '../call-once.js';
import { toJiraTrackerError } from './jira-errors.js';
import { markdownToJiraAdf, markdownToJiraWiki, plainTextOf } from './jira-format.js';
import { splitReport } from '../split-report.js';
import { type FiledIssueStore, recallFiled, rememberFiled } from '../filed-issues.js';
import { cutToLine, issueTitleOf } from '../issue-title.js';

/** Jira's limit on a rich-text field (description, comment body), in characters. */
export const JIRA_MAX_FIELD = 32_767;
/** Jira's limit on a summary. */
const MAX_SUMMARY = 255;
/** Issue types tried in order when JIRA_ISSUE_TYPE is not set. */
const PREFERRED_TYPES = ['Incident', 'Bug', 'Task'];

export interface JiraTrackerOptions {
  /** The site, `https://acme.atlassian.net` (Cloud) or the Data Center base URL. */
  url: string;
  /** Cloud: the account's email, used with the API token (basic auth). Unset: Data Center with a personal access token. */
  email?: string;
  token: string;
  /** The project key, e.g. `OPS`. */
  project: string;
  issueType?: string;
  labels?: string[];
  store?: FiledIssueStore;
  log?: Logger;
  now?: () => Date;
  maxFieldChars?: number;
}

interface JiraIssueRef {
  id: string;
  key: string;
  fields?: { summary?: string; issuelinks?: { inwardIssue?: { key?: string }; outwardIssue?: { key?: string } }[] };
}

interface JiraComment {
  id: string;
  body?: unknown;
}

/**
 * Files reports as Jira issues: Cloud (REST v3, the report as an Atlassian Document) or Data Center
 * (REST v2, wiki markup, a personal access token as bearer). A report over the field limit goes
 * into the description and comments, in order. Each issue carries a label derived from the incident,
 * so filing again edits the same issue and comments, also after a crash right after creating it.
 */
export class JiraTracker implements IssueTracker {
  readonly name = 'jira';
  private readonly client: Version3Client;
  private readonly cloud: boolean;
  private readonly now: () => Date;
  private issueTypes?: Promise<string[]>;

  constructor(private readonly options: JiraTrackerOptions) {
    if (!options.url || !options.token || !options.project) {
      throw new TrackerError('TRACKER_NOT_CONFIGURED', 'filing to Jira needs JIRA_URL, JIRA_API_TOKEN and JIRA_PROJECT (and JIRA_EMAIL for Jira Cloud)');
    }
    if (!/^[A-Z][A-Z0-9_]{0,254}$/i.test(options.project)) {
      throw new TrackerError('TRACKER_NOT_CONFIGURED', `JIRA_PROJECT must be a project key such as OPS, got "${options.project}"`);
    }
    this.cloud = Boolean(options.email);
    this.now = options.now ?? (() => new Date());
    const host = options.url.replace(/\/+$/, '');
    // jira.js has no retries of its own unless asked; ours (below) honour Retry-After.
    this.client = this.cloud
      ? new Version3Client({ host, authentication: { basic: { email: options.email!, apiToken: options.token } } })
      : // Data Center speaks v2 with the same routes and shapes; the bodies are wiki-markup strings.
        (new Version2Client({ host, authentication: { oauth2: { accessToken: options.token } } }) as unknown as Version3Client);
  }

  async file(request: IssueRequest): Promise<FiledIssue> {
    const marker = markerOf('inc', request.incidentId);
    let doing = 'looking for the incident issue';
    try {
      const found = await this.findIssue(request.existing, this.effectKey(request.incidentId), marker);
      const maxChars = this.options.maxFieldChars ?? JIRA_MAX_FIELD;
      const contents = this.splitToFit(request.body, maxChars);
      const summary = cutToLine(issueTitleOf(request), MAX_SUMMARY);
      const description = this.toBody(
        contents[0] + (contents.length > 1 ? `\n\n---\n_The report continues in the next ${contents.length - 1 === 1 ? 'comment' : `${contents.length - 1} comments`}._` : ''),
      );
      let key: string;
      if (found) {
        key = found.key;
        doing = `updating ${key}`;
        await this.call(doing, () => this.client.issues.editIssue({ issueIdOrKey: key, fields: { summary, description } as never }));
      } else {
        doing = 'creating the issue';
        const labels = [...new Set([...(this.options.labels ?? ['incident']), ...(request.labels ?? []), 'sidekick', marker].map(toLabel))];
        const issuetype = { name: await this.issueType() };
        const created = await this.call(doing, () => this.client.issues.createIssue({ fields: { project: { key: this.options.project }, issuetype, summary, description, labels } as never }));
        key = created.key;
      }
      doing = `writing the report's comments on ${key}`;
      await this.syncComments(key, marker, contents.slice(1));
      return await rememberFiled(this.options.store, this.effectKey(request.incidentId), { tracker: this.name, id: key, url: this.browseUrl(key) }, this.now());
    } catch (error) {
      throw toJiraTrackerError(error, { project: this.options.project, doing, now: this.now() });
    }
  }

  /** Files a follow-up as an issue of its own, assigned to its owner when Jira knows them, linked to the report issue. */
  async fileFollowUp(request: FollowUpIssueRequest): Promise<FiledIssue> {
    const { followUp, parent } = request;
    const marker = markerOf('fu', followUp.id);
    let doing = 'looking for the follow-up issue';
    try {
      const found = await this.findIssue(request.existing, undefined, marker);
      const summary = cutToLine(followUp.text, MAX_SUMMARY);
      const assignee = found ? undefined : await this.assigneeFor(followUp.owner?.name);
      const lines = [
        `Follow-up of ${request.incidentRef}: ${request.incidentUrl} (report: ${parent.id})`,
        `Owner: ${followUp.owner?.name ?? 'nobody yet'}${followUp.owner && !assignee && !found ? ' (not matched to a Jira user)' : ''}`,
        `Added by ${followUp.createdBy} at ${followUp.createdAt}`,
        '',
        followUp.text,
      ];
      const description = this.toBody(lines.join('\n\n'));
      let issue: JiraIssueRef;
      if (found) {
        doing = `updating follow-up ${found.key}`;
        await this.call(doing, () => this.client.issues.editIssue({ issueIdOrKey: found.key, fields: { summary, description } as never }));
        issue = found;
      } else {
        doing = 'creating the follow-up issue';
        const labels = [...new Set([...(this.options.labels ?? ['incident']), 'follow-up', 'sidekick', marker].map(toLabel))];
        const issuetype = { name: await this.issueType(['Task', 'Bug']) };
        const created = await this.call(doing, () =>
          this.client.issues.createIssue({ fields: { project: { key: this.options.project }, issuetype, summary, description, labels, ...(assignee ? { assignee } : {}) } as never }),
        );
        issue = { id: created.id, key: created.key };
      }
      const linked = (issue.fields?.issuelinks ?? []).some((l) => l.inwardIssue?.key === parent.id || l.outwardIssue?.key === parent.id);
      if (!linked) {
        doing = `linking ${issue.key} to ${parent.id}`;
        await this.call(doing, () => this.client.issueLinks.linkIssues({ type: { name: 'Relates' }, inwardIssue: { key: issue.key }, outwardIssue: { key: parent.id } }));
      }
      return { tracker: this.name, id: issue.key, url: this.browseUrl(issue.key) };
    } catch (error) {
      throw toJiraTrackerError(error, { project: this.options.project, doing, now: this.now() });
    }
  }

  /** The issue filed before: the one we were told of, the one remembered, or the one carrying the label. */
  private async findIssue(existing: { tracker: string; id: string } | undefined, effectKey: string | undefined, marker: string): Promise<JiraIssueRef | undefined> {
    const remembered = await recallFiled(this.options.store, effectKey);
    for (const known of [existing, remembered]) {
      if (known?.tracker !== this.name || !/^[A-Z][A-Z0-9_]*-\d+$/i.test(known.id)) continue;
      try {
        return await this.call('reading the issue', () => this.client.issues.getIssue({ issueIdOrKey: known.id, fields: ['summary', 'issuelinks'] }));
      } catch (error) {
        // Deleted, or moved to another project: look further, then file a new one.
        if ((error as { status?: number }).status !== 404) throw error;
      }
    }
    const jql = `project = "${this.options.project}" AND labels = "${marker}" ORDER BY created ASC`;
    const issues = this.cloud
      ? (await this.call('searching for the issue', () => this.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql, maxResults: 1, fields: ['summary', 'issuelinks'] }))).issues
      : (await this.call('searching for the issue', () => this.client.issueSearch.searchForIssuesUsingJql({ jql, maxResults: 1, fields: ['summary', 'issuelinks'] }))).issues;
    return issues?.[0] as JiraIssueRef | undefined;
  }

  /** Makes the marked comments say `parts` in order: edit in creation order, append the missing, delete the surplus. */
  private async syncComments(key: string, marker: string, parts: string[]): Promise<void> {
    const ours = (await this.listComments(key)).filter((c) => plainTextOf(c.body).includes(`${marker}:`));
    const total = parts.length + 1;
    for (let k = 0; k < parts.length; k++) {
      const body = this.toBody(`_Incident report, part ${k + 2} of ${total} · ${marker}:${k + 1}_\n\n${parts[k]}`);
      const comment = ours[k];
      if (!comment) await this.call(`adding comment ${k + 1} on ${key}`, () => this.client.issueComments.addComment({ issueIdOrKey: key, comment: body } as never));
      else if (JSON.stringify(comment.body) !== JSON.stringify(body)) {
        await this.call(`editing comment ${k + 1} on ${key}`, () => this.client.issueComments.updateComment({ issueIdOrKey: key, id: comment.id, body } as never));
      }
    }
    for (const surplus of ours.slice(parts.length)) {
      await this.call(`deleting a surplus comment on ${key}`, () => this.client.issueComments.deleteComment({ issueIdOrKey: key, id: surplus.id }));
    }
  }

  private async listComments(key: string): Promise<JiraComment[]> {
    const all: JiraComment[] = [];
    for (let startAt = 0; ;) {
      const page = await this.call(`reading the comments of ${key}`, () => this.client.issueComments.getComments({ issueIdOrKey: key, startAt, maxResults: 100, orderBy: 'created' }));
      const comments = (page.comments ?? []) as JiraComment[];
      all.push(...comments);
      startAt += comments.length;
      if (comments.length === 0 || startAt >= (page.total ?? 0)) return all;
    }
  }

  /**
   * Pieces whose stored form fits the field limit. The limit applies to what Jira stores, which
   * for an Atlassian Document is its JSON — much longer than the text — so a piece whose document
   * is still too long is split again, finer.
   */
  private splitToFit(markdown: string, maxChars: number): string[] {
    const limit = maxChars - 200;
    const fits = (piece: string) => JSON.stringify(this.toBody(piece)).length <= limit;
    const split = (text: string, budget: number): string[] =>
      splitReport(text, { maxChars: budget }).flatMap((piece) => (fits(piece) || budget <= 2_000 ? [piece] : split(piece, Math.floor(budget / 2))));
    // A document's JSON runs about four times its text: start there rather than halving down to it.
    return split(markdown, this.cloud ? Math.max(2_000, Math.floor(maxChars / 4)) : maxChars);
  }

  private toBody(markdown: string): unknown {
    return this.cloud ? markdownToJiraAdf(markdown) : markdownToJiraWiki(markdown);
  }

  /** JIRA_ISSUE_TYPE, else the first of `preferred` the project offers, else its first type. */
  private async issueType(preferred = PREFERRED_TYPES): Promise<string> {
    if (this.options.issueType) return this.options.issueType;
    this.issueTypes ??= this.call('reading the project\u2019s issue types', () => this.client.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: this.options.project, maxResults: 100 })).then(
      (page) => {
        // Cloud names the list `issueTypes` (older answers `createMetaIssueType`); Data Center `values`.
        type Types = { name?: string; subtask?: boolean }[];
        const answer = page as { issueTypes?: Types; createMetaIssueType?: Types; values?: Types };
        return (answer.issueTypes ?? answer.createMetaIssueType ?? answer.values ?? []).filter((t) => !t.subtask && t.name).map((t) => t.name!);
      },
    );
    const names = await this.issueTypes.catch((error: unknown) => {
      this.issueTypes = undefined;
      throw error;
    });
    const pick = preferred.find((p) => names.some((n) => n.toLowerCase() === p.toLowerCase()));
    const name = pick ? names.find((n) => n.toLowerCase() === pick.toLowerCase()) : names[0];
    if (!name) throw new TrackerError('TRACKER_NOT_CONFIGURED', `Jira project ${this.options.project} offers no issue type to create; set JIRA_ISSUE_TYPE`);
    return name;
  }

  /** The Jira user a follow-up's owner names, when exactly one matches (by email or name); Cloud only. */
  private async assigneeFor(owner: string | undefined): Promise<{ accountId: string } | { name: string } | undefined> {
    if (!owner) return undefined;
    try {
      if (!this.cloud) return undefined;
      const users = await this.call('looking up the owner', () => this.client.userSearch.findUsers({ query: owner, maxResults: 2 }));
      const people = users.filter((u) => u.accountType !== 'app' && u.active !== false);
      return people.length === 1 && people[0].accountId ? { accountId: people[0].accountId } : undefined;
    } catch (error) {
      // Not allowed to browse users: the owner stays in the description.
      if ((error as { status?: number }).status === 403) return undefined;
      throw error;
    }
  }

  /** One request, one attempt (see call-once.ts). */
  private call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    return callOnce('jira', this.options.log, doing, fn);
  }

  private browseUrl(key: string): string {
    return `${this.options.url.replace(/\/+$/, '')}/browse/${encodeURIComponent(key)}`;
  }

  private effectKey(incidentId: string): string {
    return `jira-issue:${this.options.url}:${this.options.project}:${incidentId}`;
  }
}

/** A label that finds the issue of an incident (or follow-up) again: derived, so it has no spaces whatever the id. */
function markerOf(kind: 'inc' | 'fu', id: string): string {
  return `sidekick-${kind}-${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}

/** Jira labels cannot hold spaces. */
function toLabel(label: string): string {
  return label.trim().replace(/\s+/g, '-').slice(0, 255);
}
