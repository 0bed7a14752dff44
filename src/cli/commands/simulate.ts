import { readFile } from 'node:fs/promises';
import { resolve, basename } from 'node:path';
import type { Command } from 'commander';
import { checkFlowText } from '../../flows/load-flows.js';
import { formatProblem } from '../../flows/flow-problem.js';
import { loadPlaybooks } from '../../playbooks/load-playbooks.js';
import { loadSampleAlert } from '../../runtime/load-sample-alert.js';
import { simulateFlow, SimulationInputError } from '../../runtime/simulate.js';
import { findFlowFile, flowFolders, playbookFolders } from '../../flows/resolve-paths.js';
import { loadCliConfig } from './load-cli-config.js';

/** `sidekick simulate <flow> --alert <file>`: the whole flow in memory on a fake clock, printed as a conversation. */
export function registerSimulateCommand(program: Command) {
  program
    .command('simulate <flow>')
    .description('run a flow in memory on a fake clock and print the conversation as people would read it')
    .option('-a, --alert <file>', 'alert payload (default: the flow\u2019s sample)')
    .option('-s, --source <source>', 'the payload\u2019s source (default: the flow\u2019s sample source, or the file name\u2019s first word)')
    .option('--choose <choices...>', 'buttons to press in order (labels or choice ids); default: the first choice')
    .action(async (flowArg: string, options: { alert?: string; source?: string; choose?: string[] }) => {
      const config = loadCliConfig(program.opts().config);
      if (!config) return;
      // The flow folders and playbooks the server would use, so a flow saved by the editor is found.
      const file = findFlowFile(flowArg, flowFolders(config));
      if (!file) {
        process.stderr.write(`FLOW_NOT_FOUND: no flow "${flowArg}" (looked for the file, then for ${flowArg}.yaml in ${flowFolders(config).join(', ')})\n`);
        process.exitCode = 1;
        return;
      }
      const playbooks = await loadPlaybooks(playbookFolders(config));
      const checked = await checkFlowText(await readFile(file, 'utf8'), file, { playbooks, loadSample: loadSampleAlert });
      for (const problem of checked.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      if (!checked.flow || checked.problems.some((p) => p.severity === 'error')) {
        process.exitCode = 1;
        return;
      }
      const alert = options.alert
        ? {
            source: options.source ?? checked.flow.sample?.source ?? basename(options.alert).split('-')[0]!,
            payload: JSON.parse(await readFile(resolve(options.alert), 'utf8')) as unknown,
          }
        : undefined;
      try {
        const { transcript } = await simulateFlow({ flow: checked.flow, flowFile: file, alert, choose: options.choose, playbooks });
        process.stdout.write(`${transcript}\n`);
      } catch (error) {
        if (!(error instanceof SimulationInputError)) throw error;
        process.stderr.write(`${error.code}: ${error.message}\n`);
        process.exitCode = 1;
      }
    });
}
