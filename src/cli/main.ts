#!/usr/bin/env node
import { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: `sidekick start` need not load the
 * MCP SDK, the password hasher or the manifest builders that other commands use.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  start: async () => (await import('./commands/start.js')).registerStartCommand,
  validate: async () => (await import('./commands/validate.js')).registerValidateCommand,
  simulate: async () => (await import('./commands/simulate.js')).registerSimulateCommand,
  fire: async () => (await import('./commands/fire.js')).registerFireCommand,
  slack: async () => (await import('./commands/slack.js')).registerSlackCommand,
  teams: async () => (await import('./commands/teams.js')).registerTeamsCommand,
  alerts: async () => (await import('./commands/alerts.js')).registerAlertsCommand,
  report: async () => (await import('./commands/report.js')).registerReportCommand,
  users: async () => (await import('./commands/users.js')).registerUsersCommand,
  mcp: async () => (await import('./commands/mcp.js')).registerMcpCommand,
  split: async () => (await import('./commands/split.js')).registerSplitCommand,
};

/** Options of the program itself that take a value (so the word after them is not a command). */
const GLOBAL_VALUE_OPTIONS = new Set(['-c', '--config']);

/** The command named on the command line, if it is one of ours; undefined for help or a typo. */
function commandNamed(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (GLOBAL_VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (arg === '--') return undefined;
    if (arg.startsWith('-')) continue;
    return Object.hasOwn(COMMANDS, arg) ? arg : undefined;
  }
  return undefined;
}

const program = new Command()
  .name('sidekick')
  .description('Sidekick, the incident assistant: alerts in; meetings, playbooks, reminders and reports out.')
  .option('-c, --config <file>', 'sidekick.yaml to use (default: $SIDEKICK_CONFIG or ./sidekick.yaml)');

// One command named: load only its module. Help, no command or an unknown word: load them all, so
// the command list and commander's suggestions stay complete.
const named = commandNamed(process.argv.slice(2));
const chosen = named ? [named] : Object.keys(COMMANDS);
try {
  for (const register of await Promise.all(chosen.map((name) => COMMANDS[name]!()))) register(program);
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`sidekick: ${(error as Error).message}\n`);
  process.exit(1);
}
