import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
// Run from other folders, so tsx is named by its path rather than resolved from the working folder.
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const sidekick = (args: string[], cwd: string) =>
  run(process.execPath, ['--import', tsx, join(root, 'src/cli/main.ts'), ...args], { cwd, env: { ...process.env, SIDEKICK_CONFIG: '' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

/** simulate, validate, the editor and the runtime find flows, samples and playbooks the same way. */
describe('one way to find flows, samples and playbooks', () => {
  let server: TestSidekick;
  beforeAll(async () => {
    server = await startTestSidekick();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('simulates a bundled flow after the editor saved it into flows/ (its sample path still resolves)', async () => {
    const yaml = readFileSync(join(root, 'examples/flows/disk-filling.yaml'), 'utf8');
    // What the editor's Save sends.
    const response = await fetch(`${server.url}/api/flows/disk-filling`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ yaml: yaml.replace('name: Disk filling up', 'name: Disk filling up (ours)') }),
    });
    expect(response.status).toBe(200);
    expect(readFileSync(join(server.dir, 'flows/disk-filling.yaml'), 'utf8')).toContain('(ours)');

    const result = await sidekick(['simulate', 'disk-filling'], server.dir);
    expect(result.stderr).not.toMatch(/ENOENT|cannot be read/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Alert from datadog');
    // The copy in flows/ ran, not the bundled one.
    const list = (await server.get('/api/flows')).body.flows;
    expect(list.find((flow: any) => flow.id === 'disk-filling').file).toBe(join(server.dir, 'flows/disk-filling.yaml'));
  }, 60_000);

  it('validate <project> reads sidekick.yaml as configuration, not as a flow, and checks against its playbook folders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-validate-'));
    try {
      // Flows beside the configuration too: the configuration file itself is still not a flow.
      writeFileSync(join(dir, 'sidekick.yaml'), 'flows:\n  dirs: [., ./flows]\n  examples: false\nplaybooks:\n  dirs: [./runbooks]\n');
      mkdirSync(join(dir, 'flows'));
      mkdirSync(join(dir, 'runbooks'));
      writeFileSync(join(dir, 'runbooks', 'ours.md'), '# Ours\n\n## Start\n\nLook at the dashboard.\n');
      writeFileSync(join(dir, 'flows', 'uses-ours.yaml'), 'id: uses-ours\ntrigger: { on: alert }\nboxes:\n  - { id: book, type: playbook, playbook: ours }\n');

      const project = await sidekick(['validate', dir], tmpdir());
      expect(project.stdout).not.toMatch(/sidekick\.yaml/);
      expect(project.stdout).not.toMatch(/FLOW_UNKNOWN_PLAYBOOK/);
      expect(project.stdout).toMatch(/1 flow\(s\) valid in .*flows; 0 error\(s\)/);
      expect(project.code).toBe(0);

      // A folder of flows, validated from the project: the configured playbook folders are used.
      const folder = await sidekick(['validate', 'flows'], dir);
      expect(folder.stdout).not.toMatch(/FLOW_UNKNOWN_PLAYBOOK|sidekick\.yaml/);
      expect(folder.stdout).toMatch(/1 flow\(s\) valid in flows; 0 error\(s\)/);
      expect(folder.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the playbook preview fills the commands from the sample of the flow that shows the playbook', async () => {
    // disk-filling's sample is the Datadog alert of a disk on web-3 filling /var/log.
    const preview = (await server.get('/api/playbooks/disk-filling')).body;
    expect(preview.sample).toMatchObject({ flow: 'disk-filling', source: 'datadog' });
    const commands = JSON.stringify(preview.rendered);
    expect(commands).toContain('ssh -- web-3.us-east.example.com');
    expect(commands).toContain('mount=/var/log');
    // A sample chosen by name still wins.
    const chosen = (await server.get('/api/playbooks/disk-filling?sample=alertmanager-http-5xx')).body;
    expect(chosen.sample).toBeUndefined();
    expect(JSON.stringify(chosen.rendered)).not.toContain('web-3.us-east.example.com');
  });
});
