import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Runtime } from '../runtime/create-runtime.js';
import { packageVersion } from './package-version.js';
import { createMcpContext } from './mcp-context.js';
import { registerReadTools } from './read-tools.js';
import { registerWriteTools } from './write-tools.js';

/**
 * Sidekick's MCP server for assistants: read-only tools always, the tools that change incidents
 * only when `mcp.write` is true (like PagerDuty's `--enable-write-tools`). One per connection
 * (stdio) or per request (stateless HTTP); the runtime behind it is shared. Writes are recorded
 * under `actorName`, else the client's name from the handshake.
 */
export function createMcpServer(runtime: Runtime, options: { actorName?: string } = {}): McpServer {
  const server = new McpServer(
    { name: 'sidekick', title: 'Sidekick', version: packageVersion() },
    {
      instructions:
        'Sidekick is the team\u2019s incident assistant. Read incidents with list_incidents, search_incidents and get_incident; get_playbook shows a playbook with commands filled for an incident.' +
        (runtime.config.mcp.write ? ' Tools that change incidents post to chat and start flows: call them only when the user asked.' : ' This server is read-only.'),
    },
  );
  // Stateless HTTP sees the handshake's client name only on the first request; the session's person names it.
  const ctx = createMcpContext(runtime, () => options.actorName ?? server.server.getClientVersion()?.name);
  registerReadTools(server, ctx);
  if (runtime.config.mcp.write) registerWriteTools(server, ctx);
  return server;
}
