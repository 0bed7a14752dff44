import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { startSidekick } from '../../server/start.js';

/** `sidekick start`: serve until SIGINT/SIGTERM, then finish or release claimed work. */
export function registerStartCommand(program: Command) {
  program
    .command('start')
    .description('serve Sidekick (webhooks, chat, API, web UI) and run flows')
    .option('-p, --port <port>', 'port (default $PORT or 3000)')
    .option('-H, --host <host>', 'address to bind (default $HOST or 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const started = performance.now();
      const config = loadConfig({ path: program.opts().config });
      const sidekick = await startSidekick({ config, port: options.port ? Number(options.port) : undefined, host: options.host });
      const { runtime } = sidekick;
      const flows = runtime.flows.flows.length;
      const problems = runtime.flows.problems.filter((problem) => problem.severity === 'error').length;
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) {
          // A second signal: leave now; the leases still held lapse after leaseMs.
          process.stdout.write(`${signal} again: exiting without waiting\n`);
          process.exit(1);
        }
        stopping = true;
        process.stdout.write(`\n${signal}: finishing work in flight (at most ${config.worker.shutdownMs} ms)…\n`);
        await sidekick.close();
        process.exit(0);
      };
      // Before the ready line: whoever waits for it may stop Sidekick at once.
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      process.stdout.write(
        `Sidekick is ready at ${sidekick.url} in ${Math.round(performance.now() - started)} ms ` +
          `(${runtime.store.dialect}, chat: ${runtime.services.chat.name}, meetings: ${runtime.services.meetings.name}, issues: ${runtime.services.tracker.name}; ` +
          `${flows} flow${flows === 1 ? '' : 's'}${problems ? `, ${problems} broken — run sidekick validate` : ''})\n`,
      );
    });
}
