import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlack } from '../fakes/slack/fake-slack.js';
import { startSlackInstance, type SlackInstance } from './start-slack-instance.js';
import { fireAlert, getJson, postgresReachable, until, type Instance } from './fault-kit.js';

const reachable = await postgresReachable('Slack down does not hold the worker');

const BOT_TOKEN = 'xoxb-faults-frees-workers-token';

/** Every incident announces itself in one shared channel: while Slack is down, every post fails. */
const announceFlow = `id: announce
trigger: { on: alert }
boxes:
  - { id: hello, type: post, channel: "#incidents", text: "New incident: {{ incident.title }}" }
`;

async function incidentCount(url: string): Promise<number> {
  const { incidents } = await getJson<{ incidents: unknown[] }>(`${url}/api/incidents?limit=500`);
  return incidents.length;
}

/**
 * Slack answers 500 to every call. Each failing post is a durable retry (a job due later), not a
 * wait inside a running job, so the worker's slots stay free and alerts that have nothing to do
 * with the failing posts open their incidents at full speed. The posts are made once Slack is back.
 */
describe.skipIf(!reachable)('Slack answering 500 to every call (fake Slack, PostgreSQL)', () => {
  let fake: FakeSlack;
  let instance: Instance;

  let world: SlackInstance | undefined;

  beforeAll(async () => {
    world = await startSlackInstance({
      schemaPrefix: 'faults_slack_down',
      flows: { 'announce.yaml': announceFlow },
      channels: ['incidents'],
      retryForSeconds: 120,
      botToken: BOT_TOKEN,
      signingSecret: 'faults-frees-workers-signing',
      // Unrelated alerts each open an incident here (the storm guard, tested on its own, is off).
      extraYaml: 'alerts: { grouping: { storm: { maxNewIncidents: 0 } } }\n',
    });
    ({ fake, instance } = world);
  }, 60_000);
  afterAll(() => world?.stop());

  it('opens 40 unrelated incidents within 10 s while every post fails, then posts each once when Slack is back', async () => {
    fake.outage({ ms: 120_000, status: 500 });
    // First a wave whose posts fail: more than the worker has slots (16 by default).
    for (let i = 0; i < 20; i++) expect((await fireAlert(instance.url, { key: `first-${i}`, title: `First ${i}`, status: 'firing' })).status).toBe(202);
    await until(async () => (await incidentCount(instance.url)) >= 20, 10_000, 'the first wave open');
    await until(async () => fake.requests.filter((r) => r.status === 500).length >= 20, 10_000, 'the first wave failing');

    const started = Date.now();
    for (let i = 0; i < 40; i++) expect((await fireAlert(instance.url, { key: `second-${i}`, title: `Second ${i}`, status: 'firing' })).status).toBe(202);
    await until(async () => (await incidentCount(instance.url)) >= 60, 10_000, 'all 40 unrelated incidents open within 10 s');
    expect(Date.now() - started).toBeLessThan(10_000);

    // Slack comes back: every incident is announced exactly once (shared channel, one per incident).
    fake.endOutage();
    const channel = fake.workspace.findChannel('incidents')!;
    const texts = () => fake.botMessages(channel.id).map((m) => m.text);
    // 60 incidents share one channel paced at one message a second: a minute or more, more under load.
    await until(async () => new Set(texts().flatMap((t) => t.split('\n\n'))).size >= 60, 150_000, 'every announcement posted');
    const lines = texts()
      .flatMap((t) => t.split('\n\n'))
      .filter((t) => t.startsWith('New incident'));
    expect(lines).toHaveLength(60);
    expect(new Set(lines).size).toBe(60);
  }, 220_000);
});
