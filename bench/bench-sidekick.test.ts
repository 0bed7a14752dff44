import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { startBenchSidekick } from './bench-sidekick.js';

const FLOW = `
id: hello
trigger: { on: alert }
boxes:
  - id: post
    type: post
    text: "got {{ alert.title }}"
`;

describe('startBenchSidekick', () => {
  it('serves webhooks on 127.0.0.1, stores the flow’s message, and removes its folder on close', async () => {
    const sidekick = await startBenchSidekick({ flows: { 'hello.yaml': FLOW } });
    const stored = new Promise<string>((resolve) => sidekick.runtime.live.on('message', (message) => resolve(message.text)));
    let arrived = 0;
    sidekick.server.prependListener('request', () => (arrived += 1));
    try {
      expect(sidekick.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${sidekick.url}/webhooks/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A hostile title: it must arrive as text, escaped for chat, not run or break the template.
        body: JSON.stringify({ key: 'k1', title: '$(rm -rf /) {{ x }} <b>', status: 'firing', severity: 'high', labels: {} }),
      });
      expect(response.status).toBe(202);
      expect(await stored).toContain('rm -rf');
      expect(arrived).toBe(1);
    } finally {
      await sidekick.close();
    }
    expect(existsSync(sidekick.dir)).toBe(false);
  });

  it('cleans up when the configuration is broken, and says why', async () => {
    const folders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('sidekick-bench-'));
    const before = new Set(folders());
    await expect(startBenchSidekick({ yaml: 'server: [unclosed' })).rejects.toThrow(/sidekick\.yaml/);
    await expect(startBenchSidekick({ yaml: 'worker: { concurrency: -1 }' })).rejects.toThrow(/concurrency/);
    expect(folders().filter((name) => !before.has(name))).toEqual([]);
  });
});
