import type { CoreConfig } from './config-schema.js';
import { alertsConfigSchema, type AlertsConfig } from '../alerts/alerts-config.js';
import { CHAT_ADAPTERS } from '../chat/adapters.js';
import { readMeetingsConfig, type MeetingsConfig } from '../meetings/meetings-config.js';
import { readTrackerConfig, type TrackerConfig } from '../trackers/trackers-config.js';
import { readGraphsConfig, type GraphsConfig } from '../graphs/graphs-config.js';
import { readAiConfig, type AiConfig } from '../report/draft/ai-config.js';

type Env = Record<string, string | undefined>;

type ChatAdapters = (typeof CHAT_ADAPTERS)[number];

/** Each chat adapter's section (`slack:`, `teams:`), read by its registry entry. */
const chatSections = Object.fromEntries(CHAT_ADAPTERS.map((adapter) => [adapter.name, (input: unknown, env: Env) => adapter.readConfig(input, env as NodeJS.ProcessEnv)])) as {
  [A in ChatAdapters as A['name']]: (input: unknown, env: Env) => ReturnType<A['readConfig']>;
};

/**
 * The integration sections of sidekick.yaml, each read by its own folder (which also fills in
 * the documented environment variables such as SLACK_BOT_TOKEN or ZOOM_ACCOUNT_ID).
 * A new integration adds its section here; a chat adapter comes with its registry entry.
 */
export const configSections = {
  alerts: (input: unknown, _env: Env): AlertsConfig => alertsConfigSchema.parse(input),
  ...chatSections,
  meetings: (input: unknown, env: Env): MeetingsConfig => readMeetingsConfig(input, env as NodeJS.ProcessEnv),
  tracker: (input: unknown, env: Env): TrackerConfig => readTrackerConfig(input, env as NodeJS.ProcessEnv),
  graphs: (input: unknown, env: Env): GraphsConfig => readGraphsConfig(input, env as NodeJS.ProcessEnv),
  ai: (input: unknown, env: Env): AiConfig => readAiConfig(input, env as NodeJS.ProcessEnv),
};

type Sections = { [K in keyof typeof configSections]: ReturnType<(typeof configSections)[K]> };

export type SidekickConfig = CoreConfig & Sections & { configDir: string };
