import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai/fake-openai.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

describe('sidekick report --redraft', { timeout: 120_000 }, () => {
  let dir: string;
  let fake: FakeOpenAi;
  const cli = (args: string[], env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, env: { ...process.env, SIDEKICK_CONFIG: '', SIDEKICK_DATA_DIR: join(dir, 'data'), ...env } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sidekick-redraft-'));
    fake = await startFakeOpenAi((request) => {
      const ref = /"ref":"(E\d+)"/.exec(request.body.messages?.[1]?.content ?? '')?.[1];
      return JSON.stringify({ summary: [{ text: `Draft ${fake.requests.length}.`, cites: [ref] }], whatHappened: [], contributingFactors: [] });
    });
    const runtime = await createRuntime(loadConfig({ cwd: dir, env: { SIDEKICK_DATA_DIR: join(dir, 'data') } }), { log: pino({ level: 'silent' }), startWorker: false });
    await runtime.incidents.declare({ title: 'Redraft me', actor: 'ada' });
    await runtime.close();
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drafts once, keeps the stored draft, and asks the model again with --redraft', async () => {
    const ai = { SIDEKICK_AI_URL: fake.url, SIDEKICK_AI_MODEL: 'llama3.1:8b' };
    expect((await cli(['report', '1'], ai)).stdout).toContain('Draft 1.');
    expect((await cli(['report', '1'], ai)).stdout).toContain('Draft 1.');
    const again = await cli(['report', '1', '--redraft'], ai);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Draft 2.');
    expect(fake.requests).toHaveLength(2);
  });

  it('says how to configure a model when there is none', async () => {
    const answer = await cli(['report', '1', '--redraft'], {});
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain('--redraft needs a model: set SIDEKICK_AI_URL and SIDEKICK_AI_MODEL');
  });
});
