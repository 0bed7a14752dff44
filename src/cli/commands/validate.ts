import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadFlows } from '../../flows/load-flows.js';
import { formatProblem } from '../../flows/flow-problem.js';
import { flowFolders, playbookFolders } from '../../flows/resolve-paths.js';
import { loadPlaybooks } from '../../playbooks/load-playbooks.js';
import { loadSampleAlert } from '../../runtime/load-sample-alert.js';
import { allProblems } from '../../runtime/reload-flows.js';
import { loadCliConfig } from './load-cli-config.js';

/** `sidekick validate [dir]`: every flow and playbook checked, problems printed with file and line. */
export function registerValidateCommand(program: Command) {
  program
    .command('validate [dir]')
    .description('check flows (schema, arrows, templates against their sample alert) and playbooks; exit 1 on errors')
    .option('--playbooks <dir>', 'playbook folder (default: the configured ones, ./playbooks, and the bundled examples)')
    .action(async (dir: string | undefined, options: { playbooks?: string }) => {
      // A folder holding sidekick.yaml is a project: its configuration says where flows and
      // playbooks are. Any other folder is a folder of flows, checked with the configured playbooks.
      const projectConfig = dir ? ['sidekick.yaml', 'sidekick.yml'].map((name) => join(resolve(dir), name)).find((file) => existsSync(file)) : undefined;
      const config = loadCliConfig(projectConfig ?? program.opts().config);
      if (!config) return;
      if (options.playbooks) config.playbooks.dirs = [resolve(options.playbooks)];
      const folders = dir && !projectConfig ? [resolve(dir)] : flowFolders(config);
      const playbooks = await loadPlaybooks(playbookFolders(config));
      const catalog = await loadFlows(folders, { playbooks, loadSample: loadSampleAlert });
      const problems = allProblems({ catalog, playbooks });
      for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
      const errors = problems.filter((problem) => problem.severity === 'error').length;
      const shown = folders.map((folder) => relative(process.cwd(), folder) || '.').join(', ');
      process.stdout.write(`${catalog.flows.length} flow(s) valid in ${shown}; ${errors} error(s), ${problems.length - errors} warning(s)\n`);
      process.exitCode = errors > 0 ? 1 : 0;
    });
}
