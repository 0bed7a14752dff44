import type { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig } from '../../config/load-config.js';
import { createRuntime } from '../../runtime/create-runtime.js';
import { createMcpServer } from '../../mcp/create-mcp-server.js';

/**
 * `sidekick mcp`: the MCP server on stdin/stdout, for an assistant on this machine. stdout carries
 * the protocol only: logs go to stderr, and so does anything a library prints with console.
 * It reads and writes the same database as the server; the server's worker runs the flows that
 * a write starts (this process runs none, so it can come and go with the assistant).
 */
export function registerMcpCommand(program: Command) {
  program
    .command('mcp')
    .description('serve the MCP tools over stdio for an assistant (Claude Desktop, VS Code, Cursor…)')
    .action(async () => {
      for (const method of ['log', 'info', 'debug'] as const) console[method] = (...args: unknown[]) => console.error(...args);
      const config = loadConfig({ path: program.opts().config });
      const runtime = await createRuntime(config, { startWorker: false });
      const server = createMcpServer(runtime);
      const transport = new StdioServerTransport();
      let closing = false;
      const close = async () => {
        if (closing) return;
        closing = true;
        await server.close().catch(() => {});
        await runtime.close();
        process.exit(0);
      };
      transport.onclose = () => void close();
      process.stdin.on('end', () => void close());
      process.on('SIGINT', () => void close());
      process.on('SIGTERM', () => void close());
      await server.connect(transport);
      runtime.services.log.info({ write: config.mcp.write }, 'MCP server ready on stdio');
    });
}
