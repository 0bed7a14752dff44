import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './bench-sidekick.js';
import { NODE_RED_DEPENDENCY, genericAlert, nodeRedTarget, sidekickTarget, type Target } from './node-red-bench.js';

/** A chat endpoint that keeps every body it was sent. */
async function captureSink(): Promise<{ url: string; bodies: string[]; next(): Promise<string>; close(): Promise<void> }> {
  const bodies: string[] = [];
  const waiting: ((body: string) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      waiting.shift()?.(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat.postMessage`,
    bodies,
    next: () => new Promise((resolve) => (bodies.length > waiting.length ? resolve(bodies[waiting.length]!) : waiting.push(resolve))),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function postOne(target: Target, seq: number): Promise<number> {
  const response = await fetch(`${target.url}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: genericAlert(seq).toString('utf8') });
  await response.arrayBuffer();
  return response.status;
}

describe('the Node-RED comparison', () => {
  it('names the Node-RED version that package.json installs', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(NODE_RED_DEPENDENCY).toBe(`node-red@${manifest.devDependencies['node-red']}`);
  });

  describe('with both systems running', () => {
    let sidekickSink: Awaited<ReturnType<typeof captureSink>>;
    let nodeRedSink: Awaited<ReturnType<typeof captureSink>>;
    let sidekick: Target;
    let nodeRed: Target;

    beforeAll(async () => {
      [sidekickSink, nodeRedSink] = await Promise.all([captureSink(), captureSink()]);
      [sidekick, nodeRed] = await Promise.all([sidekickTarget(sidekickSink.url), nodeRedTarget(nodeRedSink.url)]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([sidekick?.close(), nodeRed?.close()]);
      await Promise.all([sidekickSink?.close(), nodeRedSink?.close()]);
    }, 30_000);

    it('posts the same message text for the same webhook, once each', async () => {
      expect(await postOne(sidekick, 7)).toBe(202);
      expect(await postOne(nodeRed, 7)).toBe(202);
      const [fromSidekick, fromNodeRed] = await Promise.all([sidekickSink.next(), nodeRedSink.next()]);
      const expected = '🚨 Replication lag high on db-7 on db-7.example.com (#7)';
      expect((JSON.parse(fromSidekick) as { text: string }).text).toBe(expected);
      expect((JSON.parse(fromNodeRed) as { text: string }).text).toBe(expected);
      expect(sidekickSink.bodies).toHaveLength(1);
      expect(nodeRedSink.bodies).toHaveLength(1);
    });

    it('runs Node-RED with its editor and admin API off, and says which version ran', async () => {
      expect(nodeRed.description).toMatch(/^Node-RED 4\.\d+\.\d+$/);
      for (const path of ['/', '/flows', '/settings', '/red/red.min.js']) expect((await fetch(`${nodeRed.url}${path}`)).status, path).toBe(404);
    });
  });
});
