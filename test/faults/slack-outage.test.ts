import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlack } from '../fakes/slack/fake-slack.js';
import { startSlackInstance, type SlackInstance } from './start-slack-instance.js';
import { countTexts, fireAlert, getJson, postgresReachable, until, type IncidentDetail, type Instance } from './fault-kit.js';

const reachable = await postgresReachable('chat outage and operability');

const BOT_TOKEN = 'xoxb-faults-4f1c2a9e7d-secret-token';
const SIGNING_SECRET = 'faults-signing-secret-9b8a7c6d5e';

const outageFlow = `id: outage
trigger: { on: alert, match: { title: "Checkout*" } }
boxes:
  - { id: room, type: open-channel, next: settle }
  - { id: settle, type: wait, duration: 2s, next: first }
  - { id: first, type: post, text: "First update: {{ incident.title }}", next: [pause, payments] }
  - { id: payments, type: post, channel: "#team-payments", text: "Heads up, payments: {{ incident.title }}" }
  - { id: pause, type: wait, duration: 1s, next: second }
  - { id: second, type: post, text: "Second update", next: third }
  - { id: third, type: post, text: "Third update" }
`;

/** Fails for good (a URL no template should produce, let through by `raw`), so a box failure is logged with its ids. */
const brokenFlow = `id: broken
trigger: { on: alert, match: { title: "Broken*" } }
boxes:
  - { id: call, type: http-request, url: "{{ alert.labels.target | raw }}" }
`;

const lostFlow = `id: lost
trigger: { on: alert, match: { title: "Lost*" } }
boxes:
  - { id: room, type: open-channel, next: hello }
  - { id: hello, type: post, text: "In the new channel" }
`;

/** Slack as the chat, a fake Slack that can fail, one instance on PostgreSQL. */
describe.skipIf(!reachable)('the chat failing during an incident (fake Slack, PostgreSQL)', () => {
  let fake: FakeSlack;
  let instance: Instance;

  let world: SlackInstance | undefined;

  beforeAll(async () => {
    world = await startSlackInstance({
      schemaPrefix: 'faults_chat',
      flows: { 'outage.yaml': outageFlow, 'broken.yaml': brokenFlow, 'lost.yaml': lostFlow },
      channels: ['incidents', 'team-payments'],
      retryForSeconds: 60,
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      // As talkative as it gets: a secret must not slip out even at debug level.
      env: { SIDEKICK_LOG_LEVEL: 'debug' },
    });
    ({ fake, instance } = world);
  }, 60_000);
  afterAll(() => world?.stop());

  /**
   * Once the incident channel exists, Slack answers 500 twice after applying the call (the post
   * exists but its response is lost), then 500 for 12 s and 429 (no Retry-After) until 20 s. 20 s
   * rather than a minute: the adapter backs off 1, 2, 4, 8, 16, 20 s…, so a longer outage proves
   * nothing more and only costs test time; what matters is that it stays inside the retry budget
   * (60 s here), and the budget's end is tested in test/slack/slack-resilience.test.ts.
   */
  it('posts every message exactly once after a 500/429 outage shorter than the retry budget, with no failure on the timeline', async () => {
    expect((await fireAlert(instance.url, { key: 'checkout', title: 'Checkout errors', status: 'firing' })).status).toBe(202);
    // The flow waits 2 s after opening the channel: the outage starts before its first post.
    await until(async () => fake.calls('conversations.setTopic').some((r) => r.status === 200), 20_000, 'the channel opened');
    const started = Date.now();
    fake.outage({ requests: 2, status: 500, afterApplying: true });
    fake.outage({ ms: 12_000, status: 500 });
    // Outages are measured from when they are declared: this one covers 12 s → 20 s.
    fake.outage({ ms: 20_000, status: 429 });

    const channel = await until(async () => [...fake.workspace.channels.values()].find((c) => c.name.startsWith('inc-')), 45_000, 'the incident channel');
    const payments = fake.workspace.findChannel('team-payments')!;
    const texts = () => fake.botMessages().map((m) => m.text);
    await until(async () => texts().filter((t) => t === 'Third update').length >= 1 && texts().some((t) => t.startsWith('Heads up')), 55_000, 'all posts');
    // The outage really happened and was waited out.
    expect(fake.requests.filter((r) => r.status === 500).length).toBeGreaterThanOrEqual(3);
    expect(fake.requests.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(12_000);
    expect([...fake.workspace.channels.values()].filter((c) => c.name.startsWith('inc-'))).toHaveLength(1);

    const counts = countTexts(fake.botMessages(channel.id).map((m) => m.text));
    expect(counts).toEqual({ 'First update: Checkout errors': 1, 'Second update': 1, 'Third update': 1 });
    expect(countTexts(fake.botMessages(payments.id).map((m) => m.text))).toEqual({ 'Heads up, payments: Checkout errors': 1 });

    const { incidents } = await getJson<{ incidents: { id: string; title: string }[] }>(`${instance.url}/api/incidents`);
    const incident = incidents.find((i) => i.title === 'Checkout errors')!;
    const detail = await until(
      async () => {
        const current = await getJson<IncidentDetail>(`${instance.url}/api/incidents/${incident.id}`);
        return current.runs.every((run) => run.status === 'done') ? current : undefined;
      },
      10_000,
      'the run done',
    );
    expect(detail.timeline.filter((entry) => entry.kind === 'failure')).toEqual([]);
    expect(detail.timeline.filter((entry) => entry.kind === 'message')).toHaveLength(4);
  }, 60_000);

  it('operability: metrics after traffic, readiness with the database, logs with incident and run ids and without secrets', async () => {
    expect((await fireAlert(instance.url, { key: 'broken', title: 'Broken probe', status: 'firing', labels: { target: 'gopher://evil.example/' } })).status).toBe(202);
    // Hostile deliveries: garbage JSON and an unknown source are counted as refused, not stored.
    expect((await fetch(`${instance.url}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title": ' })).status).toBeGreaterThanOrEqual(400);
    const broken = await until(
      async () => {
        const { incidents } = await getJson<{ incidents: { id: string; title: string }[] }>(`${instance.url}/api/incidents`);
        const found = incidents.find((i) => i.title === 'Broken probe');
        if (!found) return undefined;
        const detail = await getJson<IncidentDetail>(`${instance.url}/api/incidents/${found.id}`);
        return detail.timeline.some((entry) => entry.kind === 'failure') ? detail : undefined;
      },
      20_000,
      'the broken box failure on the timeline',
    );

    const ready = await fetch(`${instance.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, database: 'ok' });
    expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);

    const metrics = await (await fetch(`${instance.url}/metrics`)).text();
    const value = (name: string, labels = ''): number | undefined => {
      const line = metrics.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
      return line === undefined ? undefined : Number(line.split(' ').at(-1));
    };
    expect(value('sidekick_alerts_received_total', 'source="generic",outcome="202"')).toBe(2);
    expect(metrics).toMatch(/sidekick_alerts_received_total\{source="generic",outcome="4\d\d"\} 1/);
    expect(value('sidekick_incidents_open')).toBe(2);
    // Job durations by kind: the alert groupings and the box runs both happened.
    expect(value('sidekick_job_duration_seconds_count', 'kind="alert",outcome="done"')).toBe(2);
    expect(value('sidekick_job_duration_seconds_count', 'kind="task",outcome="done"')).toBeGreaterThanOrEqual(7);
    expect(value('sidekick_queue_depth', 'state="ready"')).toBeGreaterThanOrEqual(0);
    expect(value('sidekick_queue_depth', 'state="leased"')).toBeGreaterThanOrEqual(0);
    expect(value('sidekick_queue_depth', 'state="failed"')).toBe(0);
    // Box runs by box type, and calls to outside services by service, operation and outcome.
    expect(value('sidekick_box_duration_seconds_count', 'box="post",outcome="done"')).toBeGreaterThanOrEqual(2);
    expect(value('sidekick_box_duration_seconds_count', 'box="http-request",outcome="failed"')).toBe(1);
    expect(value('sidekick_external_call_duration_seconds_count', 'service="slack",operation="post",outcome="ok"')).toBeGreaterThanOrEqual(2);
    const lag = value('sidekick_queue_lag_seconds');
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5);

    const logs = instance.output();
    // The failure is logged as one JSON line that says which incident and run it belongs to.
    const failureLine = logs
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'box failed');
    expect(failureLine).toMatchObject({ incidentId: broken.incident.id, runId: broken.runs[0]!.id, boxId: 'call' });
    // Every line logged while a job runs carries the job, and the incident and run once known:
    // a Slack retry deep in the client says whose post it was.
    const retryLines = logs
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('slack: transient failure, retrying'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(retryLines.length).toBeGreaterThan(0);
    expect(retryLines.filter((line) => typeof line.incidentId === 'string' && typeof line.runId === 'string' && typeof line.jobId === 'string').length).toBeGreaterThan(0);
    // The outage was logged (so the debug level really was on), and never with a secret.
    expect(logs).toContain('slack: transient failure, retrying');
    expect(logs).not.toContain(BOT_TOKEN);
    expect(logs).not.toContain(BOT_TOKEN.slice(5));
    expect(logs).not.toContain(SIGNING_SECRET);
  }, 60_000);

  it('refuses to mint a metric series per unknown webhook source (label cardinality from unauthenticated input)', async () => {
    // Unknown sources are counted under one label, so callers cannot grow the series without bound.
    for (let i = 0; i < 20; i++) await fetch(`${instance.url}/webhooks/probe-${i}-${'x'.repeat(20)}`, { method: 'POST', body: '{}' });
    const metrics = await (await fetch(`${instance.url}/metrics`)).text();
    expect(metrics).not.toContain('source="probe-');
  });

  /**
   * conversations.create is applied but its response lost (HTTP 500 after applying); the caller
   * retries, Slack answers `name_taken`, and the adapter must recognise the channel it just made.
   */
  it('a lost conversations.create response does not open a second incident channel', async () => {
    fake.outage({ requests: 1, status: 500, afterApplying: true });
    expect((await fireAlert(instance.url, { key: 'lost', title: 'Lost response', status: 'firing' })).status).toBe(202);
    await until(async () => fake.botMessages().some((m) => m.text === 'In the new channel'), 30_000, 'the post');
    const channels = [...fake.workspace.channels.values()].filter((c) => /^inc-\d+-lost-response/.test(c.name));
    expect(channels.map((c) => c.name)).toHaveLength(1);
  }, 40_000);
});
