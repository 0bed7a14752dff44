import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startLockedServer, type LockedServer } from '../helpers/locked-server.js';
import { callJson, expectTools } from './mcp-expectations.js';

const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
const MCP_HEADERS = { accept: 'application/json, text/event-stream' };

describe('POST /mcp (Streamable HTTP)', () => {
  let server: LockedServer | undefined;
  let client: Client | undefined;

  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = server = undefined;
  });

  const connect = async (headers: Record<string, string> = {}) => {
    client = new Client({ name: 'vitest-http', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server!.url}/mcp`), { requestInit: { headers } }));
    return client;
  };

  it('lists the read-only tools with their annotations and returns the incident (loopback quick start)', async () => {
    server = await startLockedServer({});
    const incident = await server.runtime.incidents.declare({ title: 'Search is slow', severity: 'warning', actor: 'ada' });
    await server.runtime.incidents.addFollowUp(incident.id, { text: 'Add an index on created_at', actor: 'ada' });
    const mcp = await connect();
    await expectTools(mcp, false);
    const full = await callJson(mcp, 'get_incident', { incident_id: incident.id });
    expect(full.incident).toMatchObject({ ref: 'INC-1', title: 'Search is slow', severity: 'warning' });
    expect(full.followUps.map((f: { text: string }) => f.text)).toEqual(['Add an index on created_at']);
    const alerts = await callJson(mcp, 'list_alerts', {});
    expect(alerts.alerts).toEqual([]);
    const { playbooks } = await callJson(mcp, 'get_playbook', { incident_id: 'INC-1' });
    expect(playbooks.length).toBeGreaterThan(0);
    const { playbook } = await callJson(mcp, 'get_playbook', { incident_id: 'INC-1', playbook_id: playbooks[0].id });
    expect(playbook.pages.length).toBeGreaterThan(0);
    expect(playbook.pages[0].content.length).toBeGreaterThan(0);
    const flows = await callJson(mcp, 'list_flows', {});
    expect(Array.isArray(flows.flows)).toBe(true);
    // Arguments out of bounds come back as a tool error the model can read, not a crash.
    const bad = (await mcp.callTool({ name: 'list_incidents', arguments: { limit: 5000 } })) as { isError?: boolean; content: { text: string }[] };
    expect(bad.isError).toBe(true);
  });

  it('offers the write tools only with mcp.write: true', async () => {
    server = await startLockedServer({ configure: (config) => (config.mcp.write = true) });
    const incident = await server.runtime.incidents.declare({ title: 'Queue backlog', actor: 'ada' });
    const mcp = await connect({ 'x-sidekick-user': 'ada' });
    await expectTools(mcp, true);
    await callJson(mcp, 'add_decision_to_incident', { incident_id: 'INC-1', decision: 'Scale the consumers to 12' });
    await callJson(mcp, 'add_note_to_incident', { incident_id: 'INC-1', note: 'Backlog is draining' });
    const timeline = await server.runtime.store.listTimeline(incident.id);
    expect(timeline.find((e) => e.kind === 'choice')).toMatchObject({ text: 'Scale the consumers to 12', actor: 'ada (MCP)' });
    expect(timeline.some((e) => e.kind === 'update' && e.text === 'Update: Backlog is draining')).toBe(true);
  });

  it('refuses without a session when a login is required, and serves one that has logged in', async () => {
    server = await startLockedServer({ env: { SIDEKICK_WEB_PASSWORD: 'pw-for-mcp-test' } });
    await server.runtime.incidents.declare({ title: 'Login required', actor: 'ada' });
    const refused = await server.raw('POST', '/mcp', { body: INITIALIZE, headers: MCP_HEADERS });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text).error.code).toBe('LOGIN_REQUIRED');
    // Any spelling of the path is the same route, behind the same guard.
    expect((await server.raw('POST', '/%6Dcp', { body: INITIALIZE, headers: MCP_HEADERS })).status).toBe(401);
    await expect(connect()).rejects.toThrow();

    const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'pw-for-mcp-test' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const withoutCsrf = await server.raw('POST', '/mcp', { body: INITIALIZE, headers: { ...MCP_HEADERS, cookie } });
    expect(withoutCsrf.status).toBe(403);
    const mcp = await connect({ cookie, 'x-sidekick-csrf': '1' });
    const { incidents } = await callJson(mcp, 'list_incidents', {});
    expect(incidents.map((i: { title: string }) => i.title)).toEqual(['Login required']);
  });

  it('answers only requests addressed to this machine when no login is configured', async () => {
    server = await startLockedServer({});
    const rebound = await server.raw('POST', '/mcp', { body: INITIALIZE, headers: { ...MCP_HEADERS, host: 'attacker.example:3000' } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.text).error.code).toBe('MCP_HOST_REFUSED');
    const local = await server.raw('POST', '/mcp', { body: INITIALIZE, headers: { ...MCP_HEADERS, host: `localhost:${server.port}` } });
    expect(local.status).toBe(200);
    expect(JSON.parse(local.text).result.serverInfo.name).toBe('sidekick');
    expect((await server.raw('GET', '/mcp', { headers: MCP_HEADERS })).status).toBe(405);
  });
});
