import { defineChatAdapter } from '../chat-adapter-entry.js';
import { readSlackConfig } from './slack-config.js';

/** Slack: the `slack:` section and SLACK_* variables; configured by a bot token. Bolt loads on creation. */
export const slackAdapter = defineChatAdapter({
  name: 'slack',
  readConfig: readSlackConfig,
  isConfigured: (config) => Boolean(config.botToken),
  create: async (config, deps) => (await import('./create-slack.js')).createSlack(config, deps),
});
