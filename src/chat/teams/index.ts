import { defineChatAdapter } from '../chat-adapter-entry.js';
import { isTeamsConfigured, readTeamsConfig } from './teams-config.js';

/** Microsoft Teams: the `teams:` section and TEAMS_* variables; configured by the bot's credentials. */
export const teamsAdapter = defineChatAdapter({
  name: 'teams',
  readConfig: readTeamsConfig,
  isConfigured: isTeamsConfigured,
  create: async (config, deps) => (await import('./create-teams.js')).createTeams(config, deps),
});
