import { resolve, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadFlows } from '../../flows/load-flows.js';
import { formatProblem } from '../../flows/flow-problem.js';
import { loadPlaybooks } from '../../playbooks/load-playbooks.js';
import { isPlaybookWarning } from '../../playbooks/playbook-problems.js';
import { loadSampleAlert } from '../../runtime/load-sample-alert.js';
import { packageRoot } from '../../util/package-root.js';

/** `sidekick validate [dir]`: every flow and playbook checked, problems printed with file and line. */
export function registerValidateCommand(program: Command) {
  program
    .command('validate [dir]')
    .description('check flows (schema, arrows, templates against their sample alert) and playbooks; exit 1 on errors')
    .option('--playbooks <dir>', 'playbook folder (default: ./playbooks and the bundled examples)')
    .action(async (dir: string | undefined, options: { playbooks?: string }) => {
      const flowDir = resolve(dir ?? (existsSync('flows') ? 'flows' : join(packageRoot(), 'examples/flows')));
      const playbookDirs = [join(packageRoot(), 'examples/playbooks'), resolve(options.playbooks ?? 'playbooks')];
      const playbooks = await loadPlaybooks(playbookDirs);
      const catalog = await loadFlows([flowDir], { playbooks, loadSample: loadSampleAlert });
      const problems = [
        ...catalog.problems,
        ...playbooks.problems().map((p) => ({ ...p, severity: isPlaybookWarning(p) ? ('warning' as const) : ('error' as const) })),
      ];
      for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
      const errors = problems.filter((problem) => problem.severity === 'error').length;
      process.stdout.write(`${catalog.flows.length} flow(s) valid in ${flowDir}; ${errors} error(s), ${problems.length - errors} warning(s)\n`);
      process.exitCode = errors > 0 ? 1 : 0;
    });
}
