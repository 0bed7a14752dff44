import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { createRuntime } from '../../runtime/create-runtime.js';

/** `sidekick report <incident>`: preview (or file) an incident's report from the stored timeline. */
export function registerReportCommand(program: Command) {
  program
    .command('report <incident>')
    .description('print an incident\u2019s report (id or number); --file files it with the configured tracker; --redraft asks the model for a new AI draft')
    .option('--file', 'file (or update) the issue too')
    .option('--redraft', 'ask the configured model for a new AI first draft (replaces the stored one)')
    .action(async (id: string, options: { file?: boolean; redraft?: boolean }) => {
      const config = loadConfig({ path: program.opts().config });
      const runtime = await createRuntime(config, { startWorker: false });
      try {
        const incident = await runtime.store.getIncident(id);
        if (!incident) throw new Error(`no incident "${id}"`);
        if (options.redraft && !config.ai.enabled) throw new Error('--redraft needs a model: set SIDEKICK_AI_URL and SIDEKICK_AI_MODEL (see docs/report.md)');
        const body = await runtime.services.renderReport(incident.id, { redraft: options.redraft });
        process.stdout.write(`${body}\n`);
        if (options.file) {
          const issue = await runtime.services.tracker.file({ incidentId: incident.id, title: `[INC-${incident.number}] ${incident.title}`, body, labels: ['incident'], existing: incident.issue });
          await runtime.incidents.update(incident.id, { issue });
          process.stderr.write(`filed: ${issue.url}\n`);
        }
      } finally {
        await runtime.close();
      }
    });
}
