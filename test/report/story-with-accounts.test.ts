import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';
import { startFakeZoom, type FakeZoom } from '../fakes/zoom/fake-zoom.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/fake-github.js';
import { startFakeDatadog, type FakeDatadog } from '../fakes/datadog/fake-datadog.js';
import { unwrapPart } from '../../src/trackers/report-parts.js';

const example = (name: string) => readFileSync(join(import.meta.dirname, '../../examples/alerts', name), 'utf8');
const githubToken = 'ghp_storyStoryStoryStoryStoryStoryStory01';

/** The 4 am story with the ZOOM_*, GITHUB_* and DATADOG_* variables set, against local fakes. */
describe('the 4 am story with Zoom, GitHub and Datadog configured', () => {
  let zoom: FakeZoom;
  let github: FakeGitHub;
  let datadog: FakeDatadog;
  let sidekick: TestSidekick;
  let incidentId: string;
  const incident = async () => (await sidekick.get(`/api/incidents/${incidentId}`)).body;

  beforeAll(async () => {
    [zoom, github, datadog] = await Promise.all([startFakeZoom(), startFakeGitHub({ token: githubToken }), startFakeDatadog()]);
    sidekick = await startTestSidekick({
      env: {
        ZOOM_ACCOUNT_ID: 'acct-123',
        ZOOM_CLIENT_ID: 'client-abc',
        ZOOM_CLIENT_SECRET: 'shhh-client-secret',
        ZOOM_API_URL: `${zoom.url}/v2`,
        ZOOM_OAUTH_URL: zoom.url,
        GITHUB_TOKEN: githubToken,
        GITHUB_REPO: 'acme/incidents',
        GITHUB_API_URL: github.url,
        DATADOG_API_KEY: '0123456789abcdef0123456789abcdef',
        DATADOG_APP_KEY: 'fedcba9876543210fedcba9876543210fedcba98',
        DATADOG_API_URL: datadog.url,
      },
    });
  });
  afterAll(async () => {
    await sidekick?.close();
    await Promise.all([zoom?.close(), github?.close(), datadog?.close()]);
  });

  it('opens the incident with a Zoom meeting', async () => {
    expect((await sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-lag.json'))).status).toBe(202);
    incidentId = await sidekick.until(async () => (await sidekick.get('/api/incidents')).body.incidents[0]?.id);
    const detail = await sidekick.until(async () => {
      const body = await incident();
      return body.incident.meeting ? body : undefined;
    });
    expect(detail.incident.meeting.provider).toBe('zoom');
    expect(detail.incident.meeting.joinUrl).toBe(zoom.meetings[0].join_url);
    expect(zoom.tokenRequests).toBe(1);
  });

  it('hears people, a thread and a playbook choice', async () => {
    const detail = await incident();
    const channel = detail.incident.channels.find((c: { role: string }) => c.role === 'incident').id;
    const said = await sidekick.post('/api/room/messages', { channel, text: 'on it; ```tunnel``` looks flaky <script>x</script>' }, { 'x-sidekick-user': 'alice' });
    expect(said.status).toBe(201);
    await sidekick.post('/api/room/messages', { channel, text: 'wg0 shows 30% loss', threadId: said.body.message.id }, { 'x-sidekick-user': 'bob' });
    const button = detail.messages
      .flatMap((m: any) => (m.blocks ?? []).filter((b: any) => b.type === 'buttons').flatMap((b: any) => b.buttons))
      .find((b: any) => !['Done', '← Back'].includes(b.label));
    expect((await sidekick.post('/api/room/click', { value: button.value }, { 'x-sidekick-user': 'alice' })).status).toBe(202);
    await sidekick.until(async () => (await incident()).timeline.some((e: any) => e.kind === 'choice'));
  });

  it('files the report as a GitHub issue with conversation, decisions, graphs and timings, and posts its link', async () => {
    expect((await sidekick.post('/webhooks/datadog', example('datadog-mysql-replication-recovered.json'))).status).toBe(202);
    const done = await sidekick.until(async () => {
      const body = await incident();
      return body.incident.issue ? body : undefined;
    }, 20_000);
    expect(done.incident.issue).toMatchObject({ tracker: 'github', id: '1', url: 'https://github.example/acme/incidents/issues/1' });
    expect(github.issues).toHaveLength(1);
    const report = [github.issues[0].body, ...github.commentsOf(1).map((c) => c.body)].map((b) => unwrapPart(b)!.content).join('\n');
    expect(report).toContain('## Decisions');
    expect(report).toMatch(/\*\*alice\*\*: .+→/);
    expect(report).toContain('on it; `tunnel` looks flaky &lt;script&gt;x&lt;/script&gt;');
    expect(report).toMatch(/\n {2}- \*\*\d\d:\d\d:\d\d bob\*\*: wg0 shows 30% loss/);
    expect(report).toMatch(/!\[[^\]]*\]\(https:\/\/p\.datadoghq\.com\/snapshot\/view\//);
    expect(report).toMatch(/\| Time to resolve \(from start of impact\) \| \d/);
    expect(report).toContain(zoom.meetings[0].join_url.split('?')[0]);
    expect(report).not.toContain(githubToken);
    expect(report).not.toContain('shhh-client-secret');
    const channel = done.incident.channels.find((c: { role: string }) => c.role === 'incident').id;
    const messages = (await sidekick.get(`/api/room/messages?channel=${channel}`)).body.messages;
    expect(JSON.stringify(messages)).toContain('https://github.example/acme/incidents/issues/1');
  });
});
