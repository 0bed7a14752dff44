import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import type { Logger } from 'pino';
import type { FiledIssue, FollowUpIssueRequest, IssueRequest, IssueTracker } from '../issue-tracker.js';
import { escapeMarkdown } from '../../report/markdown.js';
import { TrackerError } from '../tracker-error.js';
import { toTrackerError } from './github-errors.js';
import { partMarker, reportParts, unwrapPart } from '../report-parts.js';
import { type FiledIssueStore, recallFiled, rememberFiled } from '../filed-issues.js';
import { issueTitleOf } from '../issue-title.js';

/** GitHub's limit on an issue body or a comment. */
export const GITHUB_MAX_BODY = 65_536;

export interface GitHubTrackerOptions {
  token: string;
  /** `owner/name`. */
  repo: string;
  /** REST base; `https://<host>/api/v3` for GitHub Enterprise Server. */
  apiUrl?: string;
  labels?: string[];
  assignees?: string[];
  /** Always added, so a filed report can be found again after a crash. */
  markerLabel?: string;
  store?: FiledIssueStore;
  log?: Logger;
  now?: () => Date;
  /** How many pages of marked issues to look through for one filed before (100 per page). */
  maxSearchPages?: number;
  maxBodyChars?: number;
}

/** Octokit that recognises GitHub's rate limits (see the constructor for why it never waits). */
const ThrottledOctokit = Octokit.plugin(throttling);

interface IssueRef {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
}

/**
 * Files reports as GitHub issues. A report over GitHub's limit goes into the issue (the first
 * sections) and follow-up comments, in order. Every piece carries a hidden marker, so filing again
 * edits the same issue and comments, and a crash after creating the issue never opens a second.
 */
export class GitHubTracker implements IssueTracker {
  readonly name = 'github';
  private readonly octokit: InstanceType<typeof ThrottledOctokit>;
  /** The wait the throttling plugin last read from a rate-limit answer (it is the token's, not one request's). */
  private notedWaitMs: number | undefined;
  private readonly owner: string;
  private readonly repoName: string;
  private readonly now: () => Date;
  private readonly busy = new Map<string, Promise<FiledIssue>>();

  constructor(private readonly options: GitHubTrackerOptions) {
    const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(options.repo ?? '');
    if (!match) throw new TrackerError('TRACKER_NOT_CONFIGURED', `GITHUB_REPO must be "owner/name", got "${options.repo ?? ''}"`);
    if (!options.token) throw new TrackerError('TRACKER_NOT_CONFIGURED', 'filing to GitHub needs GITHUB_TOKEN');
    [, this.owner, this.repoName] = match;
    this.now = options.now ?? (() => new Date());
    const log = options.log;
    this.octokit = new ThrottledOctokit({
      auth: options.token,
      baseUrl: (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
      userAgent: 'sidekick-incident-reports',
      log: { debug: () => {}, info: () => {}, warn: (m: string) => log?.warn(m), error: (m: string) => log?.error(m) },
      // The throttling plugin recognises GitHub's primary and secondary rate limits and reads the
      // wait (Retry-After, x-ratelimit-reset, else its one-minute fallback). It never waits here:
      // the handlers note the wait and answer false, so the error surfaces, becomes a transient
      // TrackerError carrying `retryAfterMs`, and the engine runs the box again when GitHub said,
      // durably, with no worker slot held meanwhile. Writes go one at a time (GitHub's advice
      // against secondary limits) but without the plugin's default 1 s / 3 s spacing, which would
      // be sleeps inside a job; a limit that still comes is a deferral through the engine.
      // @octokit/plugin-retry is not used for the same reason: its one job is retrying in process.
      // Filing again is safe: every piece carries its marker, so a create that happened is found.
      throttle: {
        onRateLimit: (seconds: number) => this.noteWait(seconds),
        onSecondaryRateLimit: (seconds: number) => this.noteWait(seconds),
        write: new Bottleneck.Group({ maxConcurrent: 1 }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1 }),
      },
    });
  }

  /** A rate-limit handler of the throttling plugin: keeps the wait for the error, never retries here. */
  private noteWait(seconds: number): boolean {
    this.notedWaitMs = seconds * 1000;
    return false;
  }

  /** The wait noted for the failure being turned into a TrackerError, used once. */
  private takeNotedWait(): number | undefined {
    const wait = this.notedWaitMs;
    this.notedWaitMs = undefined;
    return wait;
  }

  async file(request: IssueRequest): Promise<FiledIssue> {
    // One filing per incident at a time in this process; a second waits and then edits.
    const previous = this.busy.get(request.incidentId) ?? Promise.resolve(undefined);
    const work = previous.catch(() => undefined).then(() => this.fileOnce(request));
    this.busy.set(request.incidentId, work);
    try {
      return await work;
    } finally {
      if (this.busy.get(request.incidentId) === work) this.busy.delete(request.incidentId);
    }
  }

  private async fileOnce(request: IssueRequest): Promise<FiledIssue> {
    let doing = 'looking for the incident issue';
    try {
      const remembered = await recallFiled(this.options.store, this.effectKey(request.incidentId));
      const issue = await this.findIssue(partMarker(request.incidentId, 0), [request.existing, remembered]);
      doing = 'reading the issue comments';
      const comments = issue ? await this.markedComments(issue.number, request.incidentId) : [];
      const parts = reportParts(request.incidentId, request.body, this.options.maxBodyChars ?? GITHUB_MAX_BODY, issue && { body: issue.body, comments });
      const title = issueTitleOf(request);
      let filed: IssueRef;
      if (issue) {
        doing = `updating issue #${issue.number}`;
        filed = await this.updateIssue(issue, title, parts[0]);
      } else {
        doing = 'creating the issue';
        filed = await this.createIssue({ ...request, title }, parts[0]);
      }
      doing = `writing the report's comments on issue #${filed.number}`;
      await this.syncComments(filed.number, comments, parts.slice(1));
      return await rememberFiled(this.options.store, this.effectKey(request.incidentId), { tracker: this.name, id: String(filed.number), url: filed.html_url }, this.now());
    } catch (error) {
      throw toTrackerError(error, { repo: this.options.repo, doing, now: this.now(), notedWaitMs: this.takeNotedWait() });
    }
  }

  /**
   * Files a follow-up as an issue of its own. Its body names the report issue (`#n`), which GitHub
   * shows on both as a cross-reference; the report's checklist links it back. The owner is written
   * in the body (a GitHub login cannot be told from a display name, and a wrong assignee fails the
   * create).
   */
  async fileFollowUp(request: FollowUpIssueRequest): Promise<FiledIssue> {
    const { followUp, parent } = request;
    const marker = `<!-- sidekick:follow-up=${encodeURIComponent(followUp.id)} -->`;
    let doing = 'looking for the follow-up issue';
    try {
      const issue = await this.findIssue(marker, [request.existing]);
      const body = [
        marker,
        `Follow-up of ${escapeMarkdown(request.incidentRef)} (#${parent.id}): ${request.incidentUrl}`,
        '',
        `**Owner:** ${escapeMarkdown(followUp.owner?.name ?? 'nobody yet')} · added by ${escapeMarkdown(followUp.createdBy)} at ${followUp.createdAt}`,
        '',
        escapeMarkdown(followUp.text),
      ].join('\n');
      const title = issueTitleOf({ title: followUp.text, body: '', incidentId: request.incidentId });
      let filed: IssueRef;
      if (issue) {
        doing = `updating follow-up #${issue.number}`;
        filed = await this.updateIssue(issue, title, body);
      } else {
        doing = 'creating the follow-up issue';
        const labels = ['follow-up', this.options.markerLabel ?? 'sidekick'];
        filed = (await this.octokit.rest.issues.create({ owner: this.owner, repo: this.repoName, title, body, labels })).data;
      }
      return { tracker: this.name, id: String(filed.number), url: filed.html_url };
    } catch (error) {
      throw toTrackerError(error, { repo: this.options.repo, doing, now: this.now(), notedWaitMs: this.takeNotedWait() });
    }
  }

  /** The issue filed before: one we were told of or remembered, else one carrying `marker`. */
  private async findIssue(marker: string, known: (FiledIssue | { tracker: string; id: string } | undefined)[]): Promise<IssueRef | undefined> {
    for (const candidate of known) {
      if (candidate?.tracker !== this.name || !/^\d+$/.test(candidate.id)) continue;
      const issue = await this.getIssue(Number(candidate.id));
      if (issue) return issue;
    }
    const label = this.options.markerLabel ?? 'sidekick';
    const maxPages = this.options.maxSearchPages ?? 20;
    for (let page = 1; page <= maxPages; page++) {
      const { data } = await this.octokit.rest.issues.listForRepo({ owner: this.owner, repo: this.repoName, labels: label, state: 'all', sort: 'created', direction: 'desc', per_page: 100, page });
      const found = data.find((issue) => !issue.pull_request && (issue.body ?? '').replace(/\r\n?/g, '\n').startsWith(`${marker}\n`));
      if (found) return found;
      if (data.length < 100) return undefined;
    }
    return undefined;
  }

  private async getIssue(number: number): Promise<IssueRef | undefined> {
    try {
      const { data } = await this.octokit.rest.issues.get({ owner: this.owner, repo: this.repoName, issue_number: number });
      return data;
    } catch (error) {
      // Deleted or moved to another repository: file a new one rather than fail forever.
      if ((error as { status?: number }).status === 404 || (error as { status?: number }).status === 410) return undefined;
      throw error;
    }
  }

  private async createIssue(request: IssueRequest, body: string): Promise<IssueRef> {
    const labels = [...new Set([...(this.options.labels ?? []), ...(request.labels ?? []), this.options.markerLabel ?? 'sidekick'])];
    const assignees = [...new Set([...(this.options.assignees ?? []), ...(request.assignees ?? [])])];
    const { data } = await this.octokit.rest.issues.create({ owner: this.owner, repo: this.repoName, title: request.title, body, labels, assignees });
    return data;
  }

  private async updateIssue(issue: IssueRef, title: string, body: string): Promise<IssueRef> {
    // Labels and assignees are left alone: people change them during the RCA.
    if (issue.title === title && (issue.body ?? '').replace(/\r\n?/g, '\n') === body) return issue;
    const { data } = await this.octokit.rest.issues.update({ owner: this.owner, repo: this.repoName, issue_number: issue.number, title, body });
    return data;
  }

  /** Our comments on the issue for this incident, in the order they were created. */
  private async markedComments(number: number, incidentId: string): Promise<{ id: number; body: string; content: string }[]> {
    const all = await this.octokit.paginate(this.octokit.rest.issues.listComments, { owner: this.owner, repo: this.repoName, issue_number: number, per_page: 100 });
    return all
      .map((c) => ({ id: c.id, body: (c.body ?? '').replace(/\r\n?/g, '\n'), part: unwrapPart(c.body) }))
      .filter((c) => c.part?.incidentId === incidentId && c.part.part > 0)
      .map((c) => ({ id: c.id, body: c.body, content: c.part!.content }));
  }

  /**
   * Makes the comments say `parts`, in order: existing marked comments are edited in creation
   * order (so the order never breaks), missing ones appended, surplus ones deleted.
   */
  private async syncComments(number: number, existing: { id: number; body: string }[], parts: string[]): Promise<void> {
    const { owner, repoName: repo } = this;
    for (let k = 0; k < parts.length; k++) {
      const comment = existing[k];
      if (!comment) await this.octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: parts[k] });
      else if (comment.body !== parts[k]) await this.octokit.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body: parts[k] });
    }
    for (const surplus of existing.slice(parts.length)) {
      await this.octokit.rest.issues.deleteComment({ owner, repo, comment_id: surplus.id });
    }
  }

  private effectKey(incidentId: string): string {
    return `github-issue:${this.options.repo}:${incidentId}`;
  }
}
