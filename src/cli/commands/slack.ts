import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { renderSlackManifest } from '../../chat/slack/slack-manifest.js';

/** `sidekick slack manifest`: the Slack app manifest to paste when creating the app. */
export function registerSlackCommand(program: Command) {
  const slack = program.command('slack').description('Slack setup helpers');
  slack
    .command('manifest')
    .description('print the Slack app manifest (scopes, events, slash command, URLs) for this Sidekick')
    .option('--url <publicUrl>', 'the public URL Slack will call (default: SIDEKICK_PUBLIC_URL / server.publicUrl)')
    .option('--socket-mode', 'for installs behind a firewall: events over Socket Mode (SLACK_APP_TOKEN) instead of a public URL')
    .action((options: { url?: string; socketMode?: boolean }) => {
      const config = loadConfig({ path: program.opts().config });
      const publicUrl = options.url ?? config.server.publicUrl ?? 'https://sidekick.example.com';
      process.stdout.write(renderSlackManifest(publicUrl, { socketMode: options.socketMode ?? Boolean(config.slack.appToken) }));
    });
}
