import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/fake-github.js';
import { GitHubTracker, GITHUB_MAX_BODY, type GitHubTrackerOptions } from '../../src/trackers/github/github.js';
import { TrackerError } from '../../src/trackers/tracker-error.js';
import { unwrapPart } from '../../src/trackers/report-parts.js';
import { renderReport } from '../../src/report/render-report.js';
import { bigReportData } from '../report/fixtures/big-incident.js';
import { storyReportData } from '../report/fixtures/story-incident.js';
import { expectLinesInOrder } from './expect-lines-in-order.js';

const token = 'ghp_fakeFakeFakeFakeFakeFakeFakeFake0001';
let bigBody: string | undefined;
/** The 5,000-message report, rendered once for the whole file. */
const bigReport = () => (bigBody ??= renderReport(bigReportData()));

describe('GitHubTracker against the fake GitHub', () => {
  let gh: FakeGitHub;
  const make = (extra: Partial<GitHubTrackerOptions> = {}) => new GitHubTracker({ token, repo: 'acme/incidents', apiUrl: gh.url, labels: ['incident'], assignees: ['alice'], ...extra });
  const posts = (path: RegExp) => gh.requests.filter((r) => r.startsWith('POST ') && path.test(r)).length;
  /** The issue body and its comments, in order, without our markers and headings. */
  const filedPieces = (number: number) => [gh.issues[number - 1].body!, ...gh.commentsOf(number).map((c) => c.body)].map((b) => unwrapPart(b)!.content);

  beforeEach(async () => {
    gh = await startFakeGitHub({ token });
  });
  afterEach(() => gh.close());

  it('files a short report as one issue with labels, assignees and the hidden marker', async () => {
    const body = renderReport(storyReportData());
    const filed = await make().file({ incidentId: 'inc_7f3c', title: '[INC-42] MySQL replication lag', body, labels: ['sev-high'] });
    expect(filed).toEqual({ tracker: 'github', id: '1', url: 'https://github.example/acme/incidents/issues/1' });
    expect(gh.issues[0]).toMatchObject({ title: '[INC-42] MySQL replication lag', assignees: ['alice'] });
    expect(gh.issues[0].labels.sort()).toEqual(['incident', 'sev-high', 'sidekick']);
    expect(gh.issues[0].body!.startsWith('<!-- sidekick:incident=inc_7f3c part=0 -->\n# INC-42')).toBe(true);
    expect(gh.commentsOf(1)).toHaveLength(0);
  });

  it('splits a 5,000-message report over the limit into the issue and ordered comments, losing no line', async () => {
    const body = bigReport();
    expect(body.length).toBeGreaterThan(GITHUB_MAX_BODY * 5);
    await make().file({ incidentId: 'inc_7f3c', title: '[INC-42] MySQL replication lag', body });
    expect(gh.issues).toHaveLength(1);
    const comments = gh.commentsOf(1);
    expect(comments.length).toBeGreaterThanOrEqual(9);
    for (const piece of [gh.issues[0].body!, ...comments.map((c) => c.body)]) expect(Array.from(piece).length).toBeLessThanOrEqual(GITHUB_MAX_BODY);
    // The summary sections are in the issue itself; the conversation continues in the comments.
    expect(gh.issues[0].body).toContain('## Impact\n');
    expect(gh.issues[0].body).toContain('## Decisions');
    expect(gh.issues[0].body).toMatch(/_The report continues in the next \d+ comments\._$/);
    comments.forEach((c, k) => expect(c.body).toContain(`part=${k + 1} -->\n_Incident report, part ${k + 2} of ${comments.length + 1}_`));
    expectLinesInOrder(body, filedPieces(1));
    // Every piece renders on its own: code fences are balanced in each.
    for (const piece of filedPieces(1)) expect((piece.match(/^\s*```/gm) ?? []).length % 2).toBe(0);
  });

  it('files idempotently: filing again edits the same issue and comments instead of adding new ones', async () => {
    const tracker = make();
    const body = bigReport();
    const first = await tracker.file({ incidentId: 'inc_7f3c', title: 'T', body });
    const commentIds = gh.commentsOf(1).map((c) => c.id);
    const requestsBefore = gh.requests.length;
    const second = await tracker.file({ incidentId: 'inc_7f3c', title: 'T', body, existing: first });
    expect(second).toEqual(first);
    expect(gh.requests.slice(requestsBefore).filter((r) => !r.startsWith('GET'))).toEqual([]);

    const changed = body.replace('## Decisions', '## Decisions\n\n- a late decision');
    await tracker.file({ incidentId: 'inc_7f3c', title: 'T2', body: changed, existing: first });
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0].title).toBe('T2');
    expect(gh.commentsOf(1).map((c) => c.id)).toEqual(commentIds);
    expectLinesInOrder(changed, filedPieces(1));
  });

  it('finds the issue again after a crash right after creating it, and never opens a second', async () => {
    gh.dropNextCreate();
    const body = bigReport();
    const crashed = (await make()
      .file({ incidentId: 'inc_7f3c', title: 'T', body })
      .catch((e: unknown) => e)) as TrackerError;
    expect(crashed).toBeInstanceOf(TrackerError);
    expect(crashed.details.transient).toBe(true);
    expect(gh.issues).toHaveLength(1);
    // A new process: no memory of the first attempt, no `existing`.
    const filed = await make().file({ incidentId: 'inc_7f3c', title: 'T', body });
    expect(filed.id).toBe('1');
    expect(gh.issues).toHaveLength(1);
    expect(posts(/\/issues\?|\/issues$/)).toBe(1);
    expectLinesInOrder(body, filedPieces(1));
  });

  it('completes the comments when a crash happened halfway through writing them', async () => {
    const body = bigReport();
    gh.failNext(1, 502, { method: 'POST', path: '/comments' });
    await expect(make().file({ incidentId: 'inc_7f3c', title: 'T', body })).rejects.toMatchObject({ code: 'TRACKER_UNAVAILABLE' });
    await make().file({ incidentId: 'inc_7f3c', title: 'T', body });
    expect(gh.issues).toHaveLength(1);
    expectLinesInOrder(body, filedPieces(1));
  });

  it('does not mix up incidents, and deletes comments a shorter report no longer needs', async () => {
    const tracker = make();
    const big = bigReport();
    await tracker.file({ incidentId: 'inc_A', title: 'A', body: big });
    await tracker.file({ incidentId: 'inc_B', title: 'B', body: 'short B' });
    expect(gh.issues).toHaveLength(2);
    await tracker.file({ incidentId: 'inc_A', title: 'A', body: 'now short' });
    expect(gh.issues).toHaveLength(2);
    expect(gh.commentsOf(1)).toHaveLength(0);
    expect(unwrapPart(gh.issues[0].body)!.content).toBe('now short');
    expect(unwrapPart(gh.issues[1].body)!.content).toBe('short B');
  });

  it('keeps a summary and action items people wrote in the issue when the report is filed again', async () => {
    const body = renderReport(storyReportData());
    const filed = await make().file({ incidentId: 'inc_7f3c', title: 'T', body });
    gh.issues[0].body = gh.issues[0]
      .body!.replace(/## Summary\n\n.*\n/, '## Summary\n\nThe tunnel between sites flapped; replicas fell behind.\n')
      .replace(/- \[ \] \n?$/, '- [ ] Alert on tunnel packet loss (@alice)\n')
      .replace(/\n/g, '\r\n');
    await make().file({ incidentId: 'inc_7f3c', title: 'T', body: body.replace('alice, bob', 'alice, bob, erin'), existing: filed });
    const now = gh.issues[0].body!;
    expect(now).toContain('The tunnel between sites flapped');
    expect(now).toContain('Alert on tunnel packet loss');
    expect(now).toContain('alice, bob, erin');
  });

  it('gives a secondary rate limit back to the engine with the wait GitHub asks (Retry-After, else a minute)', async () => {
    gh.secondaryRateLimitNext(1, { retryAfter: null, status: 429, method: 'POST' });
    gh.secondaryRateLimitNext(1, { retryAfter: 3, method: 'POST' });
    const waits: unknown[] = [];
    for (let run = 0; run < 2; run++) {
      const error = (await make()
        .file({ incidentId: 'i', title: 'T', body: 'b' })
        .catch((e: unknown) => e)) as TrackerError;
      expect(error.code).toBe('TRACKER_RATE_LIMITED');
      waits.push(error.details.retryAfterMs);
    }
    expect(waits).toEqual([60_000, 3000]);
    const filed = await make().file({ incidentId: 'i', title: 'T', body: 'b' });
    expect(filed.id).toBe('1');
    expect(gh.issues).toHaveLength(1);
  });

  it('gives a longer rate-limit wait back to the engine as a transient TRACKER_RATE_LIMITED', async () => {
    gh.secondaryRateLimitNext(1, { retryAfter: 900 });
    const error = (await make()
      .file({ incidentId: 'i', title: 'T', body: 'b' })
      .catch((e: unknown) => e)) as TrackerError;
    expect(error.code).toBe('TRACKER_RATE_LIMITED');
    expect(error.details).toMatchObject({ retryAfterMs: 900_000, transient: true });
  });

  it('server errors are transient, and filing again never repeats a create', async () => {
    gh.failNext(2, 503, { method: 'GET' });
    for (let run = 0; run < 2; run++) {
      await expect(make().file({ incidentId: 'i', title: 'T', body: 'b' })).rejects.toMatchObject({ code: 'TRACKER_UNAVAILABLE', details: { transient: true } });
    }
    await make().file({ incidentId: 'i', title: 'T', body: 'b' });
    gh.failNext(1, 500, { method: 'POST' });
    await expect(make().file({ incidentId: 'j', title: 'T', body: 'b' })).rejects.toMatchObject({ code: 'TRACKER_UNAVAILABLE' });
    expect(gh.issues).toHaveLength(1);
  });

  it('explains a bad token (401) without showing it', async () => {
    const error = (await make({ token: 'ghp_wrongWrongWrongWrongWrongWrongWrong00' })
      .file({ incidentId: 'i', title: 'T', body: 'b' })
      .catch((e: unknown) => e)) as TrackerError;
    expect(error.code).toBe('TRACKER_AUTH_FAILED');
    expect(error.message).toContain('Bad credentials');
    expect(error.message).toContain('GITHUB_TOKEN');
    expect(error.message).not.toContain('ghp_wrong');
    expect(JSON.stringify(error)).not.toContain('ghp_wrong');
  });

  it('explains an unknown repository (404)', async () => {
    const error = (await make({ repo: 'acme/nope' })
      .file({ incidentId: 'i', title: 'T', body: 'b' })
      .catch((e: unknown) => e)) as TrackerError;
    expect(error.code).toBe('TRACKER_NOT_FOUND');
    expect(error.message).toContain('GITHUB_REPO');
  });

  it("passes on GitHub's errors[] message for a 422", async () => {
    const error = (await make({ maxBodyChars: 200_000 })
      .file({ incidentId: 'i', title: 'T', body: 'x'.repeat(70_000) })
      .catch((e: unknown) => e)) as TrackerError;
    expect(error.code).toBe('TRACKER_REJECTED');
    expect(error.message).toContain('body is too long (maximum is 65536 characters)');
  });

  it('files a new issue when the remembered one was deleted', async () => {
    const filed = await make().file({ incidentId: 'i', title: 'T', body: 'b' });
    gh.issues[0].body = 'someone replaced it';
    const again = await make().file({ incidentId: 'i', title: 'T', body: 'b', existing: { ...filed, id: '99' } });
    expect(again.id).toBe('2');
  });

  it('survives hostile incident ids and titles', async () => {
    const id = 'x --> <!-- part=0 ../../ "\n';
    const filed = await make().file({ incidentId: id, title: `${'🔥'.repeat(300)} $(id)`, body: 'b' });
    expect(unwrapPart(gh.issues[0].body)!.incidentId).toBe(id);
    expect((await make().file({ incidentId: id, title: 't', body: 'b2' })).id).toBe(filed.id);
    expect(gh.issues).toHaveLength(1);
  });

  it('files follow-ups as issues of their own that reference the report issue, never twice', async () => {
    const parent = await make().file({ incidentId: 'inc_7f3c', title: 'T', body: 'report' });
    const followUp = { id: 'f1', incidentId: 'inc_7f3c', text: 'Alert on tunnel loss @everyone', owner: { name: 'alice' }, createdBy: 'bob', createdAt: '2026-01-01T04:30:00.000Z', refs: [] };
    const request = { incidentId: 'inc_7f3c', incidentRef: 'INC-42', incidentUrl: 'https://sidekick.example/#/incidents/inc_7f3c', followUp, parent };
    const filed = await make().fileFollowUp(request);
    expect(filed).toEqual({ tracker: 'github', id: '2', url: 'https://github.example/acme/incidents/issues/2' });
    expect(gh.issues[1].labels.sort()).toEqual(['follow-up', 'sidekick']);
    expect(gh.issues[1].body).toContain('Follow-up of INC-42 (#1)');
    expect(gh.issues[1].body).toContain('**Owner:** alice');
    expect(gh.issues[1].body).toContain('@\u200beveryone');
    await make().fileFollowUp(request);
    await make().fileFollowUp({ ...request, existing: filed, followUp: { ...followUp, text: 'changed' } });
    expect(gh.issues).toHaveLength(2);
    expect(gh.issues[1].title).toBe('changed');
  });

  it('refuses a malformed repository setting up front', () => {
    expect(() => new GitHubTracker({ token, repo: 'just-a-name' })).toThrow(/owner\/name/);
    expect(() => new GitHubTracker({ token: '', repo: 'a/b' })).toThrow(/GITHUB_TOKEN/);
  });
});
