import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { buildTeamsAppPackage } from '../../chat/teams/teams-manifest.js';

/** `sidekick teams manifest`: the Teams app package (manifest + icons, zipped) for "Upload a custom app". */
export function registerTeamsCommand(program: Command) {
  const teams = program.command('teams').description('Microsoft Teams setup helpers');
  teams
    .command('manifest')
    .description('write the Teams app package (manifest.json, color.png, outline.png in a zip) for Upload a custom app')
    .option('-o, --out <file>', 'where to write the package', 'sidekick-teams.zip')
    .option('--url <publicUrl>', 'the public URL of this Sidekick (default: SIDEKICK_PUBLIC_URL / server.publicUrl)')
    .option('--app-id <id>', 'the bot’s Microsoft App ID (default: TEAMS_APP_ID)')
    .action((options: { out: string; url?: string; appId?: string }) => {
      const config = loadConfig({ path: program.opts().config });
      const appId = options.appId ?? config.teams.appId;
      if (!appId) throw new Error('set TEAMS_APP_ID (the Azure Bot’s Microsoft App ID) or pass --app-id');
      const publicUrl = options.url ?? config.server.publicUrl;
      if (!publicUrl || !/^https:\/\//.test(publicUrl)) throw new Error('Teams needs a public https URL: set SIDEKICK_PUBLIC_URL or pass --url https://…');
      const out = resolve(options.out);
      writeFileSync(out, buildTeamsAppPackage({ appId, publicUrl }));
      process.stdout.write(`wrote ${out}: upload it in Teams → Apps → Manage your apps → Upload an app → Upload a custom app\n`);
    });
}
