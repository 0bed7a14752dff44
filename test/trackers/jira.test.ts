import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeJira, type FakeJira } from '../fakes/jira/fake-jira.js';
import { validateAdf } from '../fakes/jira/validate-adf.js';
import { JiraTracker, JIRA_MAX_FIELD, type JiraTrackerOptions } from '../../src/trackers/jira/jira.js';
import { plainTextOf } from '../../src/trackers/jira/jira-format.js';
import { TrackerError } from '../../src/trackers/tracker-error.js';
import { runAsJob } from '../fakes/run-as-job.js';
import { renderReport } from '../../src/report/render-report.js';
import { bigReportData } from '../report/fixtures/big-incident.js';
import { storyReportData } from '../report/fixtures/story-incident.js';
import type { FollowUp, FollowUpRef } from '../../src/incidents/follow-up.js';
import { aFollowUp as followUp, aFollowUpRequest } from './a-follow-up.js';

const email = 'bot@acme.example';
const apiToken = 'ATATT3xFfGF0fakeFakeFake';
const pat = 'NjQ3fakePersonalAccessToken';
let bigBody: string | undefined;
const bigReport = () => (bigBody ??= renderReport(bigReportData()));

/** Every `message N:` of the big conversation, in order, in the text filed. */
function expectMessagesInOrder(text: string) {
  let from = 0;
  for (let i = 0; i < 4050; i++) {
    if (i % 50 === 7 || i === 1234) continue;
    const at = text.indexOf(`message ${i}:`, from);
    if (at < 0) expect.fail(`message ${i} is missing or out of order`);
    from = at;
  }
}

describe('JiraTracker against the fake Jira', () => {
  let jira: FakeJira;
  const cloud = (extra: Partial<JiraTrackerOptions> = {}) => new JiraTracker({ url: jira.url, email, token: apiToken, project: 'OPS', labels: ['incident'], ...extra });
  const dataCenter = (extra: Partial<JiraTrackerOptions> = {}) => new JiraTracker({ url: jira.url, token: pat, project: 'OPS', ...extra });
  const filedText = (k = 0) => [jira.issues[k].description, ...jira.issues[k].comments.map((c) => c.body)].map(plainTextOf).join('\n');

  beforeEach(async () => {
    jira = await startFakeJira({ users: [{ accountId: 'acc-alice', displayName: 'alice', emailAddress: 'alice@acme.example' }] });
  });
  afterEach(() => jira.close());

  it('files the story as one Cloud issue: a valid Atlassian Document with the host, the incident link and labels', async () => {
    const body = renderReport(storyReportData());
    const filed = await cloud().file({ incidentId: 'inc_7f3c', title: '[INC-42] MySQL replication lag', body, labels: ['sev high'] });
    expect(filed).toEqual({ tracker: 'jira', id: 'OPS-1', url: `${jira.url}/browse/OPS-1` });
    const issue = jira.issues[0];
    expect(issue).toMatchObject({ summary: '[INC-42] MySQL replication lag', issuetype: 'Incident', api: 3 });
    expect(validateAdf(issue.description)).toEqual([]);
    expect(issue.labels).toEqual(expect.arrayContaining(['incident', 'sev-high', 'sidekick']));
    const text = plainTextOf(issue.description);
    expect(text).toContain('db-7');
    expect(JSON.stringify(issue.description)).toContain('/#/incidents/');
    // Escaped for GitHub's Markdown, literal in a document.
    expect(text).not.toMatch(/&lt;|&gt;|&amp;/);
    expect(issue.comments).toHaveLength(0);
  });

  it('continues a report over the field limit in ordered comments, each within 32,767 characters, losing nothing', async () => {
    const body = bigReport();
    await cloud().file({ incidentId: 'inc_7f3c', title: 'T', body });
    expect(jira.issues).toHaveLength(1);
    const issue = jira.issues[0];
    expect(issue.comments.length).toBeGreaterThan(5);
    for (const piece of [issue.description, ...issue.comments.map((c) => c.body)]) {
      expect(JSON.stringify(piece).length).toBeLessThanOrEqual(JIRA_MAX_FIELD);
      expect(validateAdf(piece)).toEqual([]);
    }
    issue.comments.forEach((c, k) => expect(plainTextOf(c.body)).toContain(`Incident report, part ${k + 2} of ${issue.comments.length + 1}`));
    expect(plainTextOf(issue.description)).toMatch(/The report continues in the next \d+ comments\./);
    expectMessagesInOrder(filedText());
  });

  it('files again into the same issue and comments, and deletes comments a shorter report no longer needs', async () => {
    const tracker = cloud();
    const first = await tracker.file({ incidentId: 'inc_7f3c', title: 'T', body: bigReport() });
    const ids = jira.issues[0].comments.map((c) => c.id);
    const again = await cloud().file({ incidentId: 'inc_7f3c', title: 'T2', body: bigReport() });
    expect(again).toEqual(first);
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0].summary).toBe('T2');
    expect(jira.issues[0].comments.map((c) => c.id)).toEqual(ids);
    await tracker.file({ incidentId: 'inc_7f3c', title: 'T', body: 'now short', existing: first });
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0].comments).toHaveLength(0);
    expect(plainTextOf(jira.issues[0].description)).toBe('now short');
    await tracker.file({ incidentId: 'other', title: 'B', body: 'b' });
    expect(jira.issues).toHaveLength(2);
  });

  it('hands each 429 of a storm to the engine with Jira\u2019s Retry-After, and the retried job loses nothing', async () => {
    jira.rateLimitNext(3, { retryAfter: 7, method: 'POST' });
    jira.rateLimitNext(1, { retryAfter: 2, method: 'GET' });
    const job = await runAsJob(() => cloud().file({ incidentId: 'inc_7f3c', title: 'T', body: bigReport() }));
    const waits = job.errors.map((e) => (e as TrackerError).details.retryAfterMs);
    expect(job.errors.every((e) => (e as TrackerError).code === 'TRACKER_RATE_LIMITED' && (e as TrackerError).details.transient)).toBe(true);
    expect(waits.filter((w) => w === 7000)).toHaveLength(3);
    expect(waits).toContain(2000);
    expect(job.delays.filter((d) => d >= 7000)).toHaveLength(3);
    expect(jira.issues).toHaveLength(1);
    expectMessagesInOrder(filedText());
  });

  it('makes one attempt on a 5xx, even for a read: a transient TRACKER_UNAVAILABLE for the engine, and the retried job files once', async () => {
    jira.failNext(1, 502, { method: 'GET' });
    const error = (await cloud()
      .file({ incidentId: 'five', title: 'T', body: 'b' })
      .catch((e: unknown) => e)) as TrackerError;
    expect(error).toMatchObject({ code: 'TRACKER_UNAVAILABLE', details: { status: 502, transient: true } });
    expect(jira.issues).toHaveLength(0);
    jira.failNext(1, 503, { method: 'POST' });
    const job = await runAsJob(() => cloud().file({ incidentId: 'five', title: 'T', body: 'b' }));
    expect(job.errors).toMatchObject([{ code: 'TRACKER_UNAVAILABLE', details: { status: 503, transient: true } }]);
    expect(job.runs).toBe(2);
    expect(jira.issues).toHaveLength(1);
  });

  it('hands a long wait back to the engine as a transient TRACKER_RATE_LIMITED, then finishes without duplicates', async () => {
    jira.rateLimitNext(1, { retryAfter: 900, method: 'POST' });
    const error = (await cloud()
      .file({ incidentId: 'i', title: 'T', body: 'b' })
      .catch((e: unknown) => e)) as TrackerError;
    expect(error).toBeInstanceOf(TrackerError);
    expect(error.code).toBe('TRACKER_RATE_LIMITED');
    expect(error.details).toMatchObject({ retryAfterMs: 900_000, transient: true, status: 429 });
    await cloud().file({ incidentId: 'i', title: 'T', body: 'b' });
    expect(jira.issues).toHaveLength(1);
  });

  it('files follow-ups as issues of their own, assigned when Jira knows the owner, linked to the report issue, never twice', async () => {
    const parent = await cloud().file({ incidentId: 'inc_7f3c', title: 'T', body: 'report' });
    const request = (f: FollowUp, existing?: FollowUpRef) => aFollowUpRequest(parent, f, existing);
    const a = await cloud().fileFollowUp(request(followUp('f1', 'Alert on tunnel packet loss', 'alice')));
    const b = await cloud().fileFollowUp(request(followUp('f2', 'Write the RCA', 'mallory')));
    expect([a.id, b.id]).toEqual(['OPS-2', 'OPS-3']);
    expect(jira.issues[1]).toMatchObject({ summary: 'Alert on tunnel packet loss', issuetype: 'Task', assignee: 'acc-alice' });
    expect(jira.issues[2].assignee).toBeUndefined();
    expect(plainTextOf(jira.issues[2].description)).toContain('Owner: mallory (not matched to a Jira user)');
    expect(jira.issues[0].links.map((l) => l.key).sort()).toEqual(['OPS-2', 'OPS-3']);
    // Again, with and without the stored reference: updated, not duplicated or linked twice.
    await cloud().fileFollowUp(request(followUp('f1', 'Alert on tunnel packet loss!', 'alice'), a));
    await cloud().fileFollowUp(request(followUp('f2', 'Write the RCA', 'mallory')));
    expect(jira.issues).toHaveLength(3);
    expect(jira.issues[1].summary).toBe('Alert on tunnel packet loss!');
    expect(jira.issues[0].links).toHaveLength(2);
  });

  it('speaks v2 and wiki markup to Data Center with a personal access token', async () => {
    const body = renderReport(storyReportData());
    const filed = await dataCenter().file({ incidentId: 'inc_7f3c', title: 'T', body });
    expect(filed.id).toBe('OPS-1');
    const description = jira.issues[0].description as string;
    expect(jira.issues[0].api).toBe(2);
    expect(typeof description).toBe('string');
    expect(description).toMatch(/^h1\. /);
    expect(description).toContain('h2. Impact\n');
    expect(description).toContain('{code:sh}');
    expect(description).toContain('db-7');
    await dataCenter().file({ incidentId: 'inc_7f3c', title: 'T', body: bigReport() });
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0].comments.length).toBeGreaterThan(3);
    for (const c of jira.issues[0].comments) expect((c.body as string).length).toBeLessThanOrEqual(JIRA_MAX_FIELD);
    expect(jira.requests.every((r) => r.includes('/rest/api/2/'))).toBe(true);
  });

  it('uses JIRA_ISSUE_TYPE when set, else the first of Incident, Bug, Task the project has', async () => {
    await cloud({ issueType: 'Bug' }).file({ incidentId: 'a', title: 'T', body: 'b' });
    expect(jira.issues[0].issuetype).toBe('Bug');
    await jira.close();
    jira = await startFakeJira({ issueTypes: ['Story', 'Task'] });
    await cloud().file({ incidentId: 'a', title: 'T', body: 'b' });
    expect(jira.issues[0].issuetype).toBe('Task');
  });

  it('explains bad credentials, an unknown project and a rejected field, without the token', async () => {
    const bad = (await cloud({ token: 'wrong-token-123' })
      .file({ incidentId: 'i', title: 'T', body: 'b' })
      .catch((e: unknown) => e)) as TrackerError;
    expect(bad.code).toBe('TRACKER_AUTH_FAILED');
    expect(bad.message).toContain('JIRA_API_TOKEN');
    expect(JSON.stringify(bad) + bad.message).not.toContain('wrong-token-123');
    const project = (await cloud({ project: 'NOPE' })
      .file({ incidentId: 'i', title: 'T', body: 'b' })
      .catch((e: unknown) => e)) as TrackerError;
    expect(project.code).toBe('TRACKER_NOT_FOUND');
    expect(project.message).toContain("No project could be found with key 'NOPE'");
    const tooLong = (await cloud({ maxFieldChars: 200_000 })
      .file({ incidentId: 'i', title: 'T', body: 'x '.repeat(30_000) })
      .catch((e: unknown) => e)) as TrackerError;
    expect(tooLong.code).toBe('TRACKER_REJECTED');
    expect(tooLong.message).toContain('exceeds the allowed limit of 32,767 characters');
    expect(() => new JiraTracker({ url: jira.url, token: 't', project: 'not a key!' })).toThrow(/JIRA_PROJECT/);
  });

  it('survives hostile incident ids and titles', async () => {
    const id = 'x "--> labels = \n AND ORDER';
    const filed = await cloud().file({ incidentId: id, title: `${'🔥'.repeat(300)} $(id)`, body: '<script>alert(1)</script> `x` ```' });
    expect((await cloud().file({ incidentId: id, title: 't', body: 'b2' })).id).toBe(filed.id);
    expect(jira.issues).toHaveLength(1);
    expect(Array.from(jira.issues[0].summary).length).toBeLessThanOrEqual(255);
  });
});
