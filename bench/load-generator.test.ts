import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { countStatuses, sendAsFastAsPossible, sendAtRateInChild } from './load-generator.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('sendAtRateInChild', () => {
  it('sends every body from a child process and reports send instants on this process’s clock', async () => {
    const arrivals = new Map<string, number>();
    const url = await listen((req, res) => {
      arrivals.set(String(req.headers['x-seq']), performance.now());
      req.resume();
      req.on('end', () => res.writeHead(202).end('{}'));
    });
    const result = await sendAtRateInChild({
      target: url,
      path: '/webhooks/generic',
      perSecond: 200,
      bodies: Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, hostile: '$(rm -rf /); `x` {{ y }} ☃' })),
      headers: Array.from({ length: 20 }, (_, i) => ({ 'x-seq': String(i) })),
    });
    expect(countStatuses(result.sent)).toEqual({ 202: 20 });
    for (let i = 0; i < 20; i++) {
      const gap = arrivals.get(String(i))! - result.sent[i]!.at;
      // Sent before it arrived, and not seconds apart: the clocks were lined up correctly.
      expect(gap).toBeGreaterThanOrEqual(-1);
      expect(gap).toBeLessThan(500);
    }
  });
});

describe('sendAsFastAsPossible', () => {
  it('stops starting requests at the budget and leaves the unsent ones out', async () => {
    const url = await listen((req, res) => {
      req.resume();
      setTimeout(() => res.writeHead(202).end(), 50);
    });
    const bodies = Array.from({ length: 200 }, () => Buffer.from('{}'));
    const result = await sendAsFastAsPossible({ targets: [url], path: '/x', bodies, connections: 2, budgetMs: 120 });
    expect(result.sent.length).toBeGreaterThan(0);
    expect(result.sent.length).toBeLessThan(20);
    expect(result.sent.every((sent) => sent.status === 202)).toBe(true);
  });

  it('counts a server that drops connections as errors instead of throwing', async () => {
    const url = await listen((req) => req.socket.destroy());
    const result = await sendAsFastAsPossible({ targets: [url], path: '/x', bodies: [Buffer.from('{}'), Buffer.from('{}')], connections: 1 });
    expect(countStatuses(result.sent)).toEqual({ 0: 2 });
    expect([...result.errors.values()].reduce((a, b) => a + b, 0)).toBe(2);
  });
});
