import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { callJson, expectTools } from './mcp-expectations.js';

const root = join(import.meta.dirname, '../..');
const SECRET = 'gh-token-that-must-not-leak-123';

describe('sidekick mcp (stdio)', { timeout: 120_000 }, () => {
  let dir: string;
  let client: Client | undefined;
  const errors: Error[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sidekick-mcp-'));
    // An incident in the database the stdio server will read.
    const config = loadConfig({ cwd: dir, env: { SIDEKICK_DATA_DIR: join(dir, 'data') } });
    const runtime = await createRuntime(config, { log: pino({ level: 'silent' }), startWorker: false });
    const incident = await runtime.incidents.declare({ title: 'Payments API returns 502', severity: 'high', actor: 'ada' });
    await runtime.store.addTimeline({ incidentId: incident.id, at: new Date().toISOString(), kind: 'message', actor: 'ada', text: `rolled back; token=${SECRET}` });
    await runtime.incidents.recordDecision(incident.id, 'Roll back the 14:00 deploy', 'ada');
    await runtime.close();
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    errors.length = 0;
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = async (env: Record<string, string> = {}) => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'mcp'],
      // tsx resolves from the working directory: the project's.
      cwd: root,
      env: { ...(process.env as Record<string, string>), SIDEKICK_CONFIG: '', SIDEKICK_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'info', ...env },
      stderr: 'pipe',
    });
    client = new Client({ name: 'vitest', version: '1.0.0' });
    // A line on stdout that is not JSON-RPC (a stray log) surfaces here.
    client.onerror = (error) => errors.push(error);
    await client.connect(transport);
    return client;
  };

  it('lists read-only tools with their annotations and returns the incident, redacted', async () => {
    const mcp = await connect();
    await expectTools(mcp, false);
    const { incidents } = await callJson(mcp, 'list_incidents', { status: 'open' });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ ref: 'INC-1', title: 'Payments API returns 502', status: 'investigating' });
    const full = await callJson(mcp, 'get_incident', { incident_id: 'INC-1' });
    expect(full.incident.title).toBe('Payments API returns 502');
    expect(full.messages.map((m: { text: string }) => m.text)).toEqual(['rolled back; token=[REDACTED]']);
    expect(full.decisions.map((d: { text: string }) => d.text)).toContain('Roll back the 14:00 deploy');
    expect(full.timeline.some((e: { kind: string }) => e.kind === 'declared')).toBe(true);
    expect(JSON.stringify(full)).not.toContain(SECRET);
    const found = await callJson(mcp, 'search_incidents', { query: 'PAYMENTS' });
    expect(found.incidents).toHaveLength(1);
    const missing = (await mcp.callTool({ name: 'get_incident', arguments: { incident_id: 'INC-99' } })) as { isError?: boolean; content: { text: string }[] };
    expect(missing.isError).toBe(true);
    expect(missing.content[0]!.text).toContain('INCIDENT_NOT_FOUND');
    // A write tool is not there to call.
    const refused = (await mcp.callTool({ name: 'update_incident_status', arguments: { incident_id: 'INC-1', status: 'resolved' } })) as { isError?: boolean };
    expect(refused.isError).toBe(true);
    expect(errors).toEqual([]);
  });

  it('offers the write tools with mcp.write: true, and they change the incident', async () => {
    writeFileSync(join(dir, 'sidekick.yaml'), 'mcp:\n  write: true\n');
    const mcp = await connect({ SIDEKICK_CONFIG: join(dir, 'sidekick.yaml') });
    await expectTools(mcp, true);
    await callJson(mcp, 'update_incident_status', { incident_id: '1', status: 'mitigated' });
    await callJson(mcp, 'add_follow_up_to_incident', { incident_id: 'INC-1', text: 'Add a canary for the payments deploy', owner: '@ada' });
    const full = await callJson(mcp, 'get_incident', { incident_id: 'INC-1' });
    expect(full.incident.status).toBe('mitigated');
    expect(full.followUps).toMatchObject([{ text: 'Add a canary for the payments deploy', owner: 'ada', createdBy: 'vitest (MCP)' }]);
    expect(full.timeline.find((e: { kind: string }) => e.kind === 'status').actor).toBe('vitest (MCP)');
    expect(errors).toEqual([]);
  });
});
