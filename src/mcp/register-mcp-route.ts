import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime/create-runtime.js';
import { isLoopback } from '../server/auth.js';
import { errorBody } from '../server/http-error.js';
import { personOf } from '../server/register-auth.js';
import { ANONYMOUS } from '../people/user.js';

/** The MCP SDK and the tools load on the first /mcp request: most starts never see one. */
let mcpModules: Promise<[typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js'), typeof import('./create-mcp-server.js')]> | undefined;
const loadMcp = () => (mcpModules ??= Promise.all([import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('./create-mcp-server.js')]));

/**
 * `POST /mcp`: MCP over Streamable HTTP, stateless (a server and transport per request, JSON
 * answers), so any instance behind a load balancer can answer any request. Register it in the
 * protected scope: it needs the same session as `/api/` when a login is required. Without a
 * login (a loopback-only quick start) the Host header must name this machine, so a web page
 * whose name was rebound to 127.0.0.1 cannot call the tools.
 */
export function registerMcpRoute(app: FastifyInstance, runtime: Runtime, options: { loginRequired: boolean }): void {
  app.post('/mcp', async (request, reply) => {
    if (!options.loginRequired && !isLoopback(hostOf(request.headers.host))) {
      return reply.code(403).send(errorBody('MCP_HOST_REFUSED', 'without a web login, /mcp answers only requests addressed to localhost or 127.0.0.1'));
    }
    // The session's person names writes; an unnamed open install falls back to the client's name.
    const person = personOf(request);
    const [{ StreamableHTTPServerTransport }, { createMcpServer }] = await loadMcp();
    const server = createMcpServer(runtime, { actorName: person === ANONYMOUS ? undefined : person.name });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    reply.hijack();
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  // Stateless: no server-sent stream to open and no session to end (the spec's answer is 405).
  const notAllowed = async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'POST')
      .send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP server is stateless; use POST' }, id: null });
  app.get('/mcp', notAllowed);
  app.delete('/mcp', notAllowed);
}

function hostOf(header: string | undefined): string {
  if (!header) return '';
  // [::1]:3000 → ::1; localhost:3000 → localhost
  const match = /^\[([^\]]+)\](?::\d+)?$/.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header);
  return match?.[1] ?? header;
}
