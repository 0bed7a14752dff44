import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** Starts `sidekick start` as a real process and resolves with its URL once it says it is ready. */
function startProcess(dir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'start', '--port', '0'], {
      // The repository as working folder (tsx resolves from there); the config file says where data lives.
      cwd: root,
      env: { ...process.env, SIDEKICK_LOG_LEVEL: 'warn', SIDEKICK_CONFIG: join(dir, 'sidekick.yaml') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`not ready: ${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function until<T>(check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * kill -9 between two boxes, and in the middle of one: after a restart on the same data folder,
 * the run resumes, the due timer fires, and nothing already posted is posted again.
 */
describe('crash and resume (kill -9 of a real process)', () => {
  let dir: string;
  let hits = 0;
  let holdFirst = true;
  let onHit: () => void = () => {};
  const server = createServer((_req, res) => {
    hits++;
    onHit();
    // The first call hangs: the process is killed while this box is in flight.
    if (holdFirst) return;
    res.setHeader('content-type', 'application/json');
    res.end('{"checked":true}');
  });

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'sidekick-crash-'));
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'sidekick.yaml'), `dataDir: ./data\nflows: { dirs: [./flows], examples: false }\nworker: { leaseMs: 1000, pollMs: 50 }\nlog: { level: warn }\n`);
    writeFileSync(
      join(dir, 'flows', 'crash.yaml'),
      `id: crash
trigger: { on: alert }
boxes:
  - { id: before, type: post, text: "before the crash", next: check }
  - { id: check, type: http-request, url: "http://127.0.0.1:${port}/check", timeout: 60000, next: pause }
  - { id: pause, type: wait, duration: 2s, next: after }
  - { id: after, type: post, text: "after the crash, checked={{ boxes.check.json.checked }}" }
`,
    );
  });
  afterAll(() => {
    server.close();
    server.closeAllConnections();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes a run killed mid-box and mid-wait without posting twice', async () => {
    let { child, url } = await startProcess(dir);
    const firstHit = new Promise<void>((r) => (onHit = r));
    const fired = await fetch(`${url}/webhooks/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'k1', title: 'Crash test', status: 'firing' }),
    });
    expect(fired.status).toBe(202);
    await firstHit;
    await kill9(child); // in the middle of the http-request box

    holdFirst = false;
    ({ child, url } = await startProcess(dir));
    const messages = async () => {
      const { incidents } = (await (await fetch(`${url}/api/incidents`)).json()) as { incidents: { id: string }[] };
      if (!incidents[0]) return [];
      const detail = (await (await fetch(`${url}/api/incidents/${incidents[0].id}`)).json()) as { timeline: { kind: string; text: string }[] };
      return detail.timeline.filter((e) => e.kind === 'message').map((e) => e.text);
    };
    // The http box ran again after the lease lapsed; the run is now in its 2-second wait.
    await until(async () => hits >= 2);
    await kill9(child); // during the wait: the timer is a row, not a setTimeout

    ({ child, url } = await startProcess(dir));
    const final = await until(async () => {
      const texts = await messages();
      return texts.some((t) => t.startsWith('after')) ? texts : undefined;
    });
    await kill9(child);
    expect(final.filter((t) => t === 'before the crash')).toHaveLength(1);
    expect(final.filter((t) => t.startsWith('after the crash'))).toEqual(['after the crash, checked=true']);
  }, 90_000);
});
