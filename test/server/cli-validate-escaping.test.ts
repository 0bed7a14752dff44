import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const sidekick = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, env: { ...process.env, SIDEKICK_CONFIG: '' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('sidekick validate: places where alert data could steer a request or a command', () => {
  it("reports a url whose host a value forms and a command value inside $'…' or a heredoc, with file and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-validate-escaping-'));
    try {
      mkdirSync(join(dir, 'flows'));
      mkdirSync(join(dir, 'playbooks'));
      writeFileSync(join(dir, 'flows', 'steer.yaml'), 'id: steer\ntrigger: { on: alert }\nboxes:\n  - id: call\n    type: http-request\n    url: "http://{{ alert.labels.host }}/status"\n');
      writeFileSync(join(dir, 'playbooks', 'quoted.md'), '# Quoted\n\n## Start\n\n```sh\necho "{{ alert.labels.host }}"\nprintf $\'{{ alert.title }}\'\ncat <<EOF\n{{ alert.title }}\nEOF\n```\n');
      const result = await sidekick(['validate', join(dir, 'flows'), '--playbooks', join(dir, 'playbooks')]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/FLOW_URL_HOST_FROM_VALUE at .*steer\.yaml:6 — box "call": \{\{ alert\.labels\.host \}\} forms the scheme, host or port/);
      expect(result.stdout).toMatch(/PLAYBOOK_UNSAFE_QUOTING at .*quoted\.md:7 — a value is placed inside \$'…' quoting/);
      expect(result.stdout).toMatch(/PLAYBOOK_UNSAFE_QUOTING at .*quoted\.md:9 — a value is placed inside a heredoc/);
      expect(result.stdout).not.toMatch(/quoted\.md:6/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
