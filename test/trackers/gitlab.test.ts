import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitLab, type FakeGitLab } from '../fakes/gitlab/fake-gitlab.js';
import { GitLabTracker, type GitLabTrackerOptions } from '../../src/trackers/gitlab/gitlab.js';
import { TrackerError } from '../../src/trackers/tracker-error.js';
import { runAsJob } from '../fakes/run-as-job.js';
import { unwrapPart } from '../../src/trackers/report-parts.js';
import { renderReport } from '../../src/report/render-report.js';
import { storyReportData } from '../report/fixtures/story-incident.js';
import { expectLinesInOrder } from './expect-lines-in-order.js';
import type { FollowUp, FollowUpRef } from '../../src/incidents/follow-up.js';
import { aFollowUp as followUp, aFollowUpRequest } from './a-follow-up.js';

const token = 'glpat-fakeFakeFakeFake0001';

describe('GitLabTracker against the fake GitLab', () => {
  let gl: FakeGitLab;
  const make = (extra: Partial<GitLabTrackerOptions> = {}) => new GitLabTracker({ url: gl.url, token, project: 'acme/ops', ...extra });
  const pieces = (k = 0) => [gl.issues[k].description!, ...gl.issues[k].notes.map((n) => n.body)].map((b) => unwrapPart(b)!.content);

  beforeEach(async () => {
    gl = await startFakeGitLab({ users: [{ id: 7, username: 'alice' }] });
  });
  afterEach(() => gl.close());

  it('files the story as an incident issue with labels, the host and the incident link', async () => {
    const body = renderReport(storyReportData());
    const filed = await make().file({ incidentId: 'inc_7f3c', title: '[INC-42] MySQL replication lag', body, labels: ['sev-high'] });
    expect(filed).toEqual({ tracker: 'gitlab', id: '#1', url: 'https://gitlab.example/acme/ops/-/issues/1' });
    expect(gl.issues[0]).toMatchObject({ issue_type: 'incident', title: '[INC-42] MySQL replication lag' });
    expect(gl.issues[0].labels.sort()).toEqual(['incident', 'sev-high', 'sidekick']);
    expect(gl.issues[0].description).toContain('db-7');
    expect(gl.issues[0].description).toContain('/#/incidents/');
    expect(gl.requests[0]).toContain('/projects/acme%2Fops/');
  });

  it('files a plain issue labelled incident where the instance refuses the incident type', async () => {
    await gl.close();
    gl = await startFakeGitLab({ incidents: false });
    await make({ project: '42' }).file({ incidentId: 'i', title: 'T', body: 'b' });
    expect(gl.issues[0]).toMatchObject({ issue_type: 'issue' });
    expect(gl.issues[0].labels).toContain('incident');
  });

  it('continues an oversize report in ordered notes and files again without duplicating', async () => {
    const body = Array.from({ length: 40 }, (_, k) => `## Section ${k}\n\n${`line ${k} `.repeat(4000)}`).join('\n\n');
    const tracker = make({ maxBodyChars: 100_000 });
    const first = await tracker.file({ incidentId: 'inc_7f3c', title: 'T', body });
    expect(gl.issues[0].notes.length).toBeGreaterThan(5);
    expectLinesInOrder(body, pieces());
    const noteIds = gl.issues[0].notes.map((n) => n.id);
    expect(await make({ maxBodyChars: 100_000 }).file({ incidentId: 'inc_7f3c', title: 'T', body })).toEqual(first);
    expect(gl.issues).toHaveLength(1);
    expect(gl.issues[0].notes.map((n) => n.id)).toEqual(noteIds);
    await tracker.file({ incidentId: 'inc_7f3c', title: 'T', body: 'short now', existing: first });
    expect(gl.issues[0].notes).toHaveLength(0);
  });

  it('keeps its real limit: a report over 1,000,000 characters continues in notes', async () => {
    const body = `# Big\n\n${'x'.repeat(900_000)}\n\n## More\n\n${'y'.repeat(900_000)}`;
    await make().file({ incidentId: 'big', title: 'T', body });
    expect(gl.issues[0].notes.length).toBeGreaterThanOrEqual(1);
    expectLinesInOrder(body, pieces());
  });

  it('hands each 429 of a storm to the engine with GitLab\u2019s Retry-After, without Gitbeaker\u2019s blind retries, and the retried job loses nothing', async () => {
    gl.rateLimitNext(4, { retryAfter: 3 });
    const body = renderReport(storyReportData());
    const job = await runAsJob(() => make().file({ incidentId: 'i', title: 'T', body }));
    expect(job.errors.map((e) => [(e as TrackerError).code, (e as TrackerError).details.retryAfterMs])).toEqual(Array(4).fill(['TRACKER_RATE_LIMITED', 3000]));
    expect(job.runs).toBe(5);
    expect(job.delays.every((d) => d >= 3000)).toBe(true);
    expect(gl.issues).toHaveLength(1);
    expect(gl.requests.filter((r) => r.startsWith('POST') && r.endsWith('/issues'))).toHaveLength(1);
    gl.rateLimitNext(1, { retryAfter: 600 });
    const error = (await make()
      .file({ incidentId: 'j', title: 'T', body: 'b' })
      .catch((e: unknown) => e)) as TrackerError;
    expect(error.code).toBe('TRACKER_RATE_LIMITED');
    expect(error.details).toMatchObject({ transient: true, retryAfterMs: 600_000 });
  });

  it('files follow-ups as related issues, assigned by username, never twice', async () => {
    const parent = await make().file({ incidentId: 'inc_7f3c', title: 'T', body: 'report' });
    const request = (f: FollowUp, existing?: FollowUpRef) => aFollowUpRequest(parent, f, existing);
    const a = await make().fileFollowUp(request(followUp('f1', 'Alert on tunnel packet loss', '@alice')));
    await make().fileFollowUp(request(followUp('f2', '/close `rm -rf` @everyone', 'mallory')));
    expect(a.id).toBe('#2');
    expect(gl.issues[1]).toMatchObject({ issue_type: 'issue', assignee_ids: [7] });
    expect(gl.issues[2].assignee_ids).toEqual([]);
    expect(gl.issues[2].description).toContain('mallory (not matched to a GitLab user)');
    expect(gl.issues[2].description).not.toMatch(/^\/close/m);
    expect(gl.issues[0].links.sort()).toEqual([2, 3]);
    await make().fileFollowUp(request(followUp('f1', 'Alert on tunnel packet loss', '@alice'), a));
    await make().fileFollowUp(request(followUp('f2', 'changed', 'mallory')));
    expect(gl.issues).toHaveLength(3);
    expect(gl.issues[2].title).toBe('changed');
    expect(gl.issues[0].links).toHaveLength(2);
  });

  it('explains a bad token and an unknown project', async () => {
    const bad = (await make({ token: 'glpat-wrongwrong' })
      .file({ incidentId: 'i', title: 'T', body: 'b' })
      .catch((e: unknown) => e)) as TrackerError;
    expect(bad.code).toBe('TRACKER_AUTH_FAILED');
    expect(bad.message + JSON.stringify(bad)).not.toContain('glpat-wrongwrong');
    const missing = (await make({ project: 'acme/nope' })
      .file({ incidentId: 'i', title: 'T', body: 'b' })
      .catch((e: unknown) => e)) as TrackerError;
    expect(missing.code).toBe('TRACKER_NOT_FOUND');
    expect(missing.message).toContain('404 Project Not Found');
  });
});
