import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { createRuntime } from '../../runtime/create-runtime.js';

/**
 * `sidekick split <storm> [group]`: lists the groups an alert-storm incident holds, or splits one
 * out into its own incident (its flows start when the worker of a running Sidekick claims them).
 */
export function registerSplitCommand(program: Command) {
  program
    .command('split <incident> [group]')
    .description('list the groups of an alert-storm incident (id or number), or split one out into its own incident')
    .option('--actor <name>', 'who split it, for the timeline', 'cli')
    .action(async (id: string, group: string | undefined, options: { actor: string }) => {
      const config = loadConfig({ path: program.opts().config });
      const runtime = await createRuntime(config, { startWorker: false });
      try {
        const storm = await runtime.store.getIncident(id);
        if (!storm) throw new Error(`no incident "${id}"`);
        if (group === undefined) {
          for (const each of await runtime.incidents.listGroups(storm.id)) {
            process.stdout.write(`${each.groupKey}\t${each.alerts} alerts, ${each.firing} firing\t${each.title}\n`);
          }
          return;
        }
        const incident = await runtime.incidents.split(storm.id, group, options.actor);
        process.stdout.write(`split into INC-${incident.number} (${incident.id})\n`);
      } catch (error) {
        process.stderr.write(`${(error as { code?: string }).code ?? 'ERROR'}: ${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });
}
