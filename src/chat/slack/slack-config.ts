import { z } from 'zod';

/**
 * The `slack:` section of sidekick.yaml. Tokens belong in the environment (SLACK_BOT_TOKEN,
 * SLACK_SIGNING_SECRET, SLACK_APP_TOKEN); the file may name them as `${VAR}`.
 */
export const slackConfigSchema = z
  .object({
    /** Bot token `xoxb-…`; default `${SLACK_BOT_TOKEN}`. */
    botToken: z
      .string()
      .regex(/^xox[bp]-/, 'a Slack bot token starts with xoxb-')
      .optional(),
    /** Verifies requests to /slack/events; default `${SLACK_SIGNING_SECRET}`. */
    signingSecret: z.string().min(1).optional(),
    /** App-level token `xapp-…`: when set, Socket Mode instead of HTTP; default `${SLACK_APP_TOKEN}`. */
    appToken: z
      .string()
      .regex(/^xapp-/, 'a Slack app-level token starts with xapp-')
      .optional(),
    /** Web API base (a proxy, or a fake in tests); default `${SLACK_API_URL}` or Slack's. */
    apiUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Messages per second per channel; Slack allows about one. */
    sendRatePerSecond: z.number().positive().max(10).default(1),
    /** Messages sent back to back in one channel before pacing starts. */
    sendBurst: z.number().int().min(1).max(20).default(3),
    /** Seconds to keep retrying a failing Slack call before the send is reported as failed. */
    retryForSeconds: z.number().int().min(1).max(900).default(120),
  })
  .strict();

export type SlackConfig = z.output<typeof slackConfigSchema>;

/** Parses the `slack:` section, filling tokens and the API URL from the environment where the file leaves them out. */
export function readSlackConfig(input: unknown = {}, env: NodeJS.ProcessEnv = process.env): SlackConfig {
  const raw = { ...((input ?? {}) as Record<string, unknown>) };
  const fromEnv: [string, string][] = [
    ['botToken', 'SLACK_BOT_TOKEN'],
    ['signingSecret', 'SLACK_SIGNING_SECRET'],
    ['appToken', 'SLACK_APP_TOKEN'],
    ['apiUrl', 'SLACK_API_URL'],
  ];
  // `${VAR}` of an unset variable interpolates to '' upstream: treat it as not given.
  for (const [key, name] of fromEnv) {
    if (raw[key] === '' || raw[key] === undefined) {
      if (env[name]) raw[key] = env[name];
      else delete raw[key];
    }
  }
  return slackConfigSchema.parse(raw);
}
