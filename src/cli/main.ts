#!/usr/bin/env node
import { Command } from 'commander';
import { registerStartCommand } from './commands/start.js';
import { registerValidateCommand } from './commands/validate.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerFireCommand } from './commands/fire.js';
import { registerSlackCommand } from './commands/slack.js';
import { registerTeamsCommand } from './commands/teams.js';
import { registerAlertsCommand } from './commands/alerts.js';
import { registerReportCommand } from './commands/report.js';
import { registerUsersCommand } from './commands/users.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerSplitCommand } from './commands/split.js';

const program = new Command()
  .name('sidekick')
  .description('Sidekick, the incident assistant: alerts in; meetings, playbooks, reminders and reports out.')
  .option('-c, --config <file>', 'sidekick.yaml to use (default: $SIDEKICK_CONFIG or ./sidekick.yaml)');

registerStartCommand(program);
registerValidateCommand(program);
registerSimulateCommand(program);
registerFireCommand(program);
registerSlackCommand(program);
registerTeamsCommand(program);
registerAlertsCommand(program);
registerReportCommand(program);
registerUsersCommand(program);
registerMcpCommand(program);
registerSplitCommand(program);

program.parseAsync(process.argv).catch((error: Error) => {
  process.stderr.write(`sidekick: ${error.message}\n`);
  process.exit(1);
});
