import { expect } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

export const READ_TOOLS = ['get_incident', 'get_playbook', 'list_alerts', 'list_flows', 'list_incidents', 'search_incidents'];
export const WRITE_TOOLS = ['add_decision_to_incident', 'add_follow_up_to_incident', 'add_note_to_incident', 'update_incident_status'];

/** Lists the tools and checks each one's annotations: read tools read-only, write tools say they write. */
export async function expectTools(client: Client, write: boolean): Promise<void> {
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort();
  expect(names).toEqual(write ? [...READ_TOOLS, ...WRITE_TOOLS].sort() : READ_TOOLS);
  for (const tool of tools) {
    expect(tool.inputSchema.type).toBe('object');
    if (READ_TOOLS.includes(tool.name)) expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
    else expect(tool.annotations?.readOnlyHint).toBe(false);
  }
  if (write) expect(tools.find((t) => t.name === 'update_incident_status')?.annotations?.destructiveHint).toBe(true);
}

/** Calls a tool and parses its JSON text answer. */
export async function callJson(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const result = (await client.callTool({ name, arguments: args })) as { content: { type: string; text: string }[]; isError?: boolean };
  if (result.isError) throw new Error(result.content[0]?.text);
  return JSON.parse(result.content[0]!.text);
}
