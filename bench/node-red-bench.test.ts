import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './bench-sidekick.js';
import { NODE_RED_DEPENDENCY, genericAlert, nodeRedTarget, sidekickTarget, type Target } from './node-red-bench.js';
import { startSlackSink, type SlackSink } from './slack-sink.js';

async function postOne(target: Target, seq: number): Promise<number> {
  const response = await fetch(`${target.url}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: genericAlert(seq).toString('utf8') });
  await response.arrayBuffer();
  return response.status;
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await sleep(20);
}

describe('the Node-RED comparison', () => {
  it('names the Node-RED version that package.json installs', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(NODE_RED_DEPENDENCY).toBe(`node-red@${manifest.devDependencies['node-red']}`);
  });

  describe('with both systems running', () => {
    let sidekickSlack: SlackSink;
    let nodeRedSlack: SlackSink;
    let sidekick: Target;
    let nodeRed: Target;

    beforeAll(async () => {
      [sidekickSlack, nodeRedSlack] = await Promise.all([startSlackSink(10), startSlackSink(10)]);
      [sidekick, nodeRed] = await Promise.all([sidekickTarget(sidekickSlack), nodeRedTarget(nodeRedSlack)]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([sidekick?.close(), nodeRed?.close()]);
      await Promise.all([sidekickSlack?.close(), nodeRedSlack?.close()]);
    }, 30_000);

    it('posts the same message for the same webhook, once each, to the alert’s own channel in the Slack fake', async () => {
      expect(await postOne(sidekick, 7)).toBe(202);
      expect(await postOne(nodeRed, 7)).toBe(202);
      await waitFor(() => sidekickSlack.messages.length > 0 && nodeRedSlack.messages.length > 0);
      const expected = '🚨 Replication lag high on db-7 on db-7.example.com (#7)';
      for (const slack of [sidekickSlack, nodeRedSlack]) {
        expect(slack.messages).toEqual([{ channel: 'bench-7', text: expected }]);
        expect(slack.arrivals.has(7)).toBe(true);
      }
    });

    it('answers the event-loop and CPU questions from both processes', async () => {
      for (const target of [sidekick, nodeRed]) {
        await target.ask('loop-start');
        expect(await target.ask<number>('cpu')).toBeGreaterThan(0);
        expect((await target.ask<{ p99Ms: number }>('loop-stop')).p99Ms).toBeGreaterThan(0);
      }
    });

    it('runs Node-RED with its editor and admin API off, and says which version ran', async () => {
      expect(nodeRed.description).toMatch(/^Node-RED 4\.\d+\.\d+$/);
      for (const path of ['/', '/flows', '/settings', '/red/red.min.js']) expect((await fetch(`${nodeRed.url}${path}`)).status, path).toBe(404);
    });
  });
});
