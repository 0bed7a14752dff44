import { Gitlab } from '@gitbeaker/rest';
import type { Logger } from 'pino';
import type { FiledIssue, FollowUpIssueRequest, IssueRequest, IssueTracker } from '../issue-tracker.js';
import { TrackerError } from '../tracker-error.js';
import { callOnce } from '../call-once.js';
import { GitLabHttpError, singleAttemptRequester, toGitLabTrackerError } from './gitlab-requester.js';
import { partMarker, reportParts, unwrapPart } from '../report-parts.js';
import { type FiledIssueStore, recallFiled, rememberFiled } from '../filed-issues.js';
import { cutToLine, issueTitleOf } from '../issue-title.js';

/** GitLab's limit on a description or note (1,000,000 characters). */
export const GITLAB_MAX_BODY = 1_000_000;
const MAX_TITLE = 255;
/** The label every issue Sidekick files carries, so they can be found again after a crash. */
const MARKER_LABEL = 'sidekick';

export interface GitLabTrackerOptions {
  /** `https://gitlab.com` or the self-managed instance. */
  url?: string;
  token: string;
  /** The numeric id or the path (`group/project`). */
  project: string;
  labels?: string[];
  store?: FiledIssueStore;
  log?: Logger;
  now?: () => Date;
  maxBodyChars?: number;
  maxSearchPages?: number;
}

interface GitLabIssue {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description?: string | null;
  web_url: string;
  issue_type?: string;
}

/**
 * Files reports as GitLab incidents (`issue_type=incident`; a plain issue with the `incident`
 * label where the instance refuses the type), the overflow in notes, follow-ups as related issues.
 * Every piece carries a hidden marker, so filing again edits what was filed, never duplicates it.
 */
export class GitLabTracker implements IssueTracker {
  readonly name = 'gitlab';
  private readonly api: InstanceType<typeof Gitlab>;
  private readonly now: () => Date;
  private readonly project: string | number;

  constructor(private readonly options: GitLabTrackerOptions) {
    if (!options.token || !options.project) throw new TrackerError('TRACKER_NOT_CONFIGURED', 'filing to GitLab needs GITLAB_TOKEN and GITLAB_PROJECT');
    this.now = options.now ?? (() => new Date());
    this.project = /^\d+$/.test(options.project) ? Number(options.project) : options.project;
    this.api = new Gitlab({ host: (options.url ?? 'https://gitlab.com').replace(/\/+$/, ''), token: options.token, requesterFn: singleAttemptRequester } as never);
  }

  async file(request: IssueRequest): Promise<FiledIssue> {
    let doing = 'looking for the incident issue';
    try {
      const marker = partMarker(request.incidentId, 0);
      const issue = await this.findIssue(request.existing, this.effectKey(request.incidentId), marker);
      doing = 'reading the issue notes';
      const notes = issue ? await this.markedNotes(issue.iid, request.incidentId) : [];
      const parts = reportParts(request.incidentId, request.body, this.options.maxBodyChars ?? GITLAB_MAX_BODY, issue && { body: issue.description, comments: notes });
      const title = cutToLine(issueTitleOf(request), MAX_TITLE);
      let filed: GitLabIssue;
      if (issue) {
        doing = `updating issue #${issue.iid}`;
        filed =
          issue.title === title && normalise(issue.description) === parts[0]
            ? issue
            : await this.call(doing, () => this.api.Issues.edit(this.project, issue.iid, { title, description: parts[0] }) as Promise<GitLabIssue>);
      } else {
        doing = 'creating the incident issue';
        const labels = [...new Set([...(this.options.labels ?? ['incident']), ...(request.labels ?? []), MARKER_LABEL])].join(',');
        filed = await this.createIncident(title, parts[0], labels);
      }
      doing = `writing the report's notes on issue #${filed.iid}`;
      await this.syncNotes(filed.iid, notes, parts.slice(1));
      return await rememberFiled(this.options.store, this.effectKey(request.incidentId), { tracker: this.name, id: `#${filed.iid}`, url: filed.web_url }, this.now());
    } catch (error) {
      throw toGitLabTrackerError(error, { project: this.options.project, doing, now: this.now() });
    }
  }

  /** A follow-up as an issue of its own, assigned when the owner is a GitLab username, related to the report issue. */
  async fileFollowUp(request: FollowUpIssueRequest): Promise<FiledIssue> {
    const { followUp, parent } = request;
    let doing = 'looking for the follow-up issue';
    try {
      const marker = `<!-- sidekick:follow-up=${encodeURIComponent(followUp.id)} -->`;
      const found = await this.findIssue(request.existing, undefined, marker);
      const assignee = await this.userIdOf(followUp.owner?.name);
      const description = [
        marker,
        `Follow-up of ${escapeText(request.incidentRef)} (${parent.id}): ${request.incidentUrl}`,
        '',
        `**Owner:** ${escapeText(followUp.owner?.name ?? 'nobody yet')}${followUp.owner && assignee === undefined ? ' (not matched to a GitLab user)' : ''} · added by ${escapeText(followUp.createdBy)} at ${followUp.createdAt}`,
        '',
        escapeText(followUp.text),
      ].join('\n');
      const title = cutToLine(followUp.text, MAX_TITLE);
      let issue: GitLabIssue;
      if (found) {
        doing = `updating follow-up #${found.iid}`;
        issue =
          found.title === title && normalise(found.description) === description
            ? found
            : await this.call(doing, () => this.api.Issues.edit(this.project, found.iid, { title, description }) as Promise<GitLabIssue>);
      } else {
        doing = 'creating the follow-up issue';
        const labels = ['follow-up', MARKER_LABEL].join(',');
        issue = await this.call(
          doing,
          () => this.api.Issues.create(this.project, title, { description, labels, ...(assignee !== undefined ? { assigneeIds: [assignee] } : {}) }) as Promise<GitLabIssue>,
        );
      }
      const parentIid = Number(parent.id.replace(/^#/, ''));
      doing = `relating #${issue.iid} to ${parent.id}`;
      const links = (await this.call(doing, () => this.api.IssueLinks.all(this.project, issue.iid))) as { iid: number; project_id: number }[];
      if (!links.some((l) => l.iid === parentIid)) {
        await this.call(doing, () => this.api.IssueLinks.create(this.project, issue.iid, issue.project_id, parentIid, { linkType: 'relates_to' }));
      }
      return { tracker: this.name, id: `#${issue.iid}`, url: issue.web_url };
    } catch (error) {
      throw toGitLabTrackerError(error, { project: this.options.project, doing, now: this.now() });
    }
  }

  /** An incident where the instance allows the type; else a plain issue (the labels still say incident). */
  private async createIncident(title: string, description: string, labels: string): Promise<GitLabIssue> {
    try {
      return await this.call('creating the incident issue', () => this.api.Issues.create(this.project, title, { description, labels, issueType: 'incident' }) as Promise<GitLabIssue>);
    } catch (error) {
      const refused = error instanceof GitLabHttpError && [400, 403, 422].includes(error.status) && /issue_type|incident/i.test(JSON.stringify(error.data));
      if (!refused) throw error;
      this.options.log?.info({ project: this.options.project }, 'gitlab: incident type refused, filing a plain issue');
      return this.call('creating the issue', () => this.api.Issues.create(this.project, title, { description, labels }) as Promise<GitLabIssue>);
    }
  }

  private async findIssue(existing: { tracker: string; id: string } | undefined, effectKey: string | undefined, marker: string): Promise<GitLabIssue | undefined> {
    const remembered = await recallFiled(this.options.store, effectKey);
    for (const known of [existing, remembered]) {
      if (known?.tracker !== this.name || !/^#\d+$/.test(known.id)) continue;
      try {
        const issue = (await this.call('reading the issue', () => this.api.Issues.show(Number(known.id.slice(1)), { projectId: this.project }))) as GitLabIssue;
        if (normalise(issue.description).startsWith(`${marker}\n`) || normalise(issue.description) === marker) return issue;
      } catch (error) {
        if (!(error instanceof GitLabHttpError && error.status === 404)) throw error;
      }
    }
    const maxPages = this.options.maxSearchPages ?? 20;
    for (let page = 1; page <= maxPages; page++) {
      const list = (await this.call('searching for the issue', () =>
        this.api.Issues.all({ projectId: this.project, labels: MARKER_LABEL, orderBy: 'created_at', sort: 'desc', perPage: 100, page, maxPages: 1 } as never),
      )) as unknown as GitLabIssue[];
      const found = list.find((issue) => normalise(issue.description).startsWith(`${marker}\n`));
      if (found) return found;
      if (list.length < 100) return undefined;
    }
    return undefined;
  }

  private async markedNotes(iid: number, incidentId: string): Promise<{ id: number; body: string; content: string }[]> {
    const all = (await this.call('reading the notes', () => this.api.IssueNotes.all(this.project, iid, { sort: 'asc', orderBy: 'created_at', perPage: 100 } as never))) as unknown as {
      id: number;
      body: string;
      system?: boolean;
    }[];
    return all
      .filter((n) => !n.system)
      .map((n) => ({ id: n.id, body: normalise(n.body), part: unwrapPart(n.body) }))
      .filter((n) => n.part?.incidentId === incidentId && n.part.part > 0)
      .map((n) => ({ id: n.id, body: n.body, content: n.part!.content }));
  }

  /** Makes the marked notes say `parts`, in order: edit in creation order, append the missing, delete the surplus. */
  private async syncNotes(iid: number, existing: { id: number; body: string }[], parts: string[]): Promise<void> {
    for (let k = 0; k < parts.length; k++) {
      const note = existing[k];
      if (!note) await this.call(`adding note ${k + 1}`, () => this.api.IssueNotes.create(this.project, iid, parts[k]));
      else if (note.body !== parts[k]) await this.call(`editing note ${k + 1}`, () => this.api.IssueNotes.edit(this.project, iid, note.id, { body: parts[k] }));
    }
    for (const surplus of existing.slice(parts.length)) await this.call('deleting a surplus note', () => this.api.IssueNotes.remove(this.project, iid, surplus.id));
  }

  /** The id of the GitLab user whose username the owner names (with or without `@`), if exactly one. */
  private async userIdOf(owner: string | undefined): Promise<number | undefined> {
    const username = owner?.replace(/^@/, '');
    if (!username || !/^[A-Za-z0-9_.-]{1,255}$/.test(username)) return undefined;
    const users = (await this.call('looking up the owner', () => this.api.Users.all({ username } as never))) as unknown as { id: number; username: string }[];
    const match = users.filter((u) => u.username.toLowerCase() === username.toLowerCase());
    return match.length === 1 ? match[0].id : undefined;
  }

  /** One request, one attempt (see call-once.ts). */
  private call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    return callOnce('gitlab', this.options.log, doing, fn);
  }

  private effectKey(incidentId: string): string {
    return `gitlab-issue:${this.options.url ?? 'https://gitlab.com'}:${this.options.project}:${incidentId}`;
  }
}

function normalise(text: string | null | undefined): string {
  return (text ?? '').replace(/\r\n?/g, '\n');
}

/** Plain text in GitLab Markdown: no markup, no mentions, no quick actions at a line start. */
function escapeText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>#|~]/g, '\\$&')
    .replace(/@(?=\w)/g, '@\u200b')
    .replace(/^\//gm, '\\/');
}
