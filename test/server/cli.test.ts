import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const sidekick = (args: string[], cwd = root) =>
  run(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd, env: { ...process.env, SIDEKICK_CONFIG: '' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('the sidekick command', () => {
  it('simulates the whole MySQL story on a fake clock: meeting, notices, playbook, the 30-minute reminder, the report', async () => {
    const { code, stdout } = await sidekick(['simulate', 'mysql-replication']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\+00:00:00 {2}#inc-1-[\s\S]*?Join the meeting: https:\/\/meet\.jit\.si\//);
    expect(stdout).toMatch(/#team-payments {2}Sidekick: Heads-up/);
    expect(stdout).toContain("$ mysql -h db-7.eu-west.example.com -P 3306 -e 'SHOW REPLICA STATUS\\G'");
    expect(stdout).toMatch(/you pressed “Lag is rising”/);
    expect(stdout).toMatch(/\+00:30:00 {2}@you \(private\) {2}Sidekick: You've been on INC-1 for 30 min\. Take a deep breath/);
    expect(stdout).toMatch(/Issue filed: \[INC-1\] MySQL replication lag/);
  }, 60_000);

  it('presses the buttons --choose names', async () => {
    const { stdout } = await sidekick(['simulate', 'mysql-replication', '--choose', 'Lag is stable or falling']);
    expect(stdout).toContain('you pressed “Lag is stable or falling”');
    expect(stdout).not.toContain('you pressed “Lag is rising”');
  }, 60_000);

  it('validates the bundled flows cleanly and reports a broken flow with file, line and a hint', async () => {
    const clean = await sidekick(['validate']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/flow\(s\) valid .* 0 error\(s\)/);

    const dir = mkdtempSync(join(tmpdir(), 'sidekick-validate-'));
    try {
      mkdirSync(join(dir, 'flows'));
      writeFileSync(join(dir, 'flows', 'db.yaml'), 'id: db\ntrigger: { on: alert }\nboxes:\n  - id: hello\n    type: pots\n    text: hi\n');
      writeFileSync(join(dir, 'flows', 'good.yaml'), 'id: good\ntrigger: { on: alert }\nboxes:\n  - { id: hello, type: post, text: hi }\n');
      const broken = await sidekick(['validate', join(dir, 'flows')]);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/FLOW_UNKNOWN_BOX at .*db\.yaml:5 — box type "pots" is not known; did you mean "post"\?/);
      expect(broken.stdout).toMatch(/1 flow\(s\) valid/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('prints a Slack manifest with the events URL', async () => {
    const { stdout } = await sidekick(['slack', 'manifest', '--url', 'https://sidekick.example.com']);
    expect(stdout).toContain('https://sidekick.example.com/slack/events');
    expect(stdout).toContain('chat:write');
  }, 60_000);
});
