import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';
import { exampleAlert, openStoryIncident } from '../helpers/open-story-incident.js';
import { startFakeJira, type FakeJira } from '../fakes/jira/fake-jira.js';
import { startFakeGitLab, type FakeGitLab } from '../fakes/gitlab/fake-gitlab.js';
import { validateAdf } from '../fakes/jira/validate-adf.js';
import { plainTextOf } from '../../src/trackers/jira/jira-format.js';

/** The bundled story, resolved, filed to Jira Cloud and GitLab at once, with follow-ups as linked issues. */
describe('the story filed to Jira and GitLab', () => {
  let sidekick: TestSidekick;
  let jira: FakeJira;
  let gitlab: FakeGitLab;
  let incidentId: string;
  const detail = async () => (await sidekick.get(`/api/incidents/${incidentId}`)).body;

  beforeAll(async () => {
    jira = await startFakeJira({ users: [{ accountId: 'acc-alice', displayName: 'alice' }] });
    gitlab = await startFakeGitLab({ users: [{ id: 7, username: 'alice' }] });
    sidekick = await startTestSidekick({
      env: {
        JIRA_URL: jira.url,
        JIRA_EMAIL: 'bot@acme.example',
        JIRA_API_TOKEN: 'ATATT3xFfGF0fakeFakeFake',
        JIRA_PROJECT: 'OPS',
        GITLAB_URL: gitlab.url,
        GITLAB_TOKEN: 'glpat-fakeFakeFakeFake0001',
        GITLAB_PROJECT: 'acme/ops',
      },
    });
  });
  afterAll(async () => {
    await sidekick?.close();
    await jira?.close();
    await gitlab?.close();
  });

  it('opens the incident and takes follow-ups from the room and the API', async () => {
    const opened = await openStoryIncident(sidekick);
    incidentId = opened.incidentId;
    const channel = opened.channel;
    expect((await sidekick.post('/api/room/messages', { channel, text: '/sidekick followup Alert on tunnel packet loss @alice' }, { 'x-sidekick-user': 'bob' })).status).toBe(200);
    expect((await sidekick.post(`/api/incidents/${incidentId}/follow-ups`, { text: 'Write the RCA', owner: 'mallory' })).status).toBe(201);
  });

  it('files on resolution: one Jira issue and one GitLab incident, with the follow-ups linked, through a 429 storm and a failing GitLab', { timeout: 40_000 }, async () => {
    jira.rateLimitNext(2, { retryAfter: 1, method: 'POST' });
    gitlab.rateLimitNext(1, { retryAfter: 1 });
    gitlab.failNext(1, 500, { method: 'POST', path: '/issues' });
    await sidekick.post('/webhooks/datadog', exampleAlert('datadog-mysql-replication-recovered.json'));
    const done = await sidekick.until(async () => {
      const body = await detail();
      const filed = body.timeline.filter((e: any) => e.kind === 'report').map((e: any) => e.data.tracker);
      return filed.includes('jira') && filed.includes('gitlab') ? body : undefined;
    }, 30_000);
    // GitLab failed once: on the timeline, retried, and it did not hold Jira up.
    const failure = done.timeline.find((e: any) => e.kind === 'failure' && e.data?.tracker === 'gitlab');
    expect(failure.text).toContain('it will be retried');
    expect(done.incident.issue).toMatchObject({ tracker: 'jira', id: 'OPS-1' });

    const [report, ...followUps] = jira.issues;
    expect(jira.issues.map((i) => i.key)).toEqual(['OPS-1', 'OPS-2', 'OPS-3']);
    expect(validateAdf(report.description)).toEqual([]);
    const text = plainTextOf(report.description) + report.comments.map((c) => plainTextOf(c.body)).join('');
    expect(text).toContain('db-7.eu-west.example.com');
    expect(text).toContain('Jira OPS-2');
    expect(text).toContain('Jira OPS-3');
    expect(followUps.map((f) => [f.summary, f.assignee])).toEqual([
      ['Alert on tunnel packet loss', 'acc-alice'],
      ['Write the RCA', undefined],
    ]);
    expect(report.links.map((l) => l.key).sort()).toEqual(['OPS-2', 'OPS-3']);

    const incidentIssues = gitlab.issues.filter((i) => i.issue_type === 'incident');
    expect(incidentIssues).toHaveLength(1);
    expect(gitlab.issues).toHaveLength(3);
    expect(incidentIssues[0].description).toContain('db-7.eu-west.example.com');
    expect(incidentIssues[0].description).toMatch(/GitLab #2\]\(https:\/\/gitlab\.example\/acme\/ops\/-\/issues\/2\)/);
    expect(incidentIssues[0].links.sort()).toEqual([2, 3]);
    expect(gitlab.issues[1].assignee_ids).toEqual([7]);

    const listed = (await sidekick.get(`/api/incidents/${incidentId}/follow-ups`)).body.followUps;
    expect(listed.map((f: any) => f.refs.map((r: any) => `${r.tracker} ${r.id}`))).toEqual([
      ['gitlab #2', 'jira OPS-2'],
      ['gitlab #3', 'jira OPS-3'],
    ]);
  });

  it('filing again updates in place and never duplicates', async () => {
    const again = await sidekick.post(`/api/incidents/${incidentId}/report`, {});
    expect(again.status).toBe(200);
    expect(again.body.issues.map((i: any) => i.tracker)).toEqual(['jira', 'gitlab']);
    expect(again.body.failures).toEqual([]);
    expect(jira.issues).toHaveLength(3);
    expect(gitlab.issues).toHaveLength(3);
    expect(jira.issues[0].links).toHaveLength(2);
    expect(gitlab.issues[0].links).toHaveLength(2);
  });
});
