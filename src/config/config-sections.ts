import type { CoreConfig } from './config-schema.js';
import { alertsConfigSchema, type AlertsConfig } from '../alerts/alerts-config.js';
import { readSlackConfig, type SlackConfig } from '../chat/slack/slack-config.js';
import { readMeetingsConfig, type MeetingsConfig } from '../meetings/meetings-config.js';
import { readTrackerConfig, type TrackerConfig } from '../trackers/trackers-config.js';
import { readGraphsConfig, type GraphsConfig } from '../graphs/graphs-config.js';
import { readTeamsConfig, type TeamsConfig } from '../chat/teams/teams-config.js';
import { readAiConfig, type AiConfig } from '../report/draft/ai-config.js';

type Env = Record<string, string | undefined>;

/**
 * The integration sections of sidekick.yaml, each read by its own folder (which also fills in
 * the documented environment variables such as SLACK_BOT_TOKEN or ZOOM_ACCOUNT_ID).
 * A new integration adds its section here.
 */
export const configSections = {
  alerts: (input: unknown, _env: Env): AlertsConfig => alertsConfigSchema.parse(input),
  slack: (input: unknown, env: Env): SlackConfig => readSlackConfig(input, env as NodeJS.ProcessEnv),
  meetings: (input: unknown, env: Env): MeetingsConfig => readMeetingsConfig(input, env as NodeJS.ProcessEnv),
  tracker: (input: unknown, env: Env): TrackerConfig => readTrackerConfig(input, env as NodeJS.ProcessEnv),
  graphs: (input: unknown, env: Env): GraphsConfig => readGraphsConfig(input, env as NodeJS.ProcessEnv),
  teams: (input: unknown, env: Env): TeamsConfig => readTeamsConfig(input, env as NodeJS.ProcessEnv),
  ai: (input: unknown, env: Env): AiConfig => readAiConfig(input, env as NodeJS.ProcessEnv),
};

type Sections = { [K in keyof typeof configSections]: ReturnType<(typeof configSections)[K]> };

export type SidekickConfig = CoreConfig & Sections & { configDir: string };
