import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ });

/**
 * The `teams:` section of sidekick.yaml. The names of the environment variables are the contract
 * (TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID, TEAMS_TEAM_ID, TEAMS_MEETING_ORGANIZER and
 * the base URLs MICROSOFT_LOGIN_URL, TEAMS_OPENID_METADATA_URL, TEAMS_SERVICE_URL, GRAPH_API_URL,
 * there for sovereign clouds, proxies and fakes).
 */
export const teamsConfigSchema = z
  .object({
    /** The Entra application (client) id of the bot; also the audience of inbound tokens. */
    appId: z.string().min(1).optional(),
    /** The client secret of that application. */
    appPassword: z.string().min(1).optional(),
    /** The tenant the single-tenant bot is registered in. */
    tenantId: z.string().min(1).optional(),
    /** The team (its group id) in which incident channels are created. */
    teamId: z.string().min(1).optional(),
    /** The user (Entra object id or UPN) whose online meetings are created; unset = Jitsi. */
    meetingOrganizer: z.string().min(1).optional(),
    loginUrl: url.default('https://login.microsoftonline.com'),
    openIdMetadataUrl: url.default('https://login.botframework.com/v1/.well-known/openidconfiguration'),
    /** Where proactive sends go until an activity tells us the tenant's regional serviceUrl. */
    serviceUrl: url.default('https://smba.trafficmanager.net/teams/'),
    graphUrl: url.default('https://graph.microsoft.com/v1.0'),
    /** Seconds to keep retrying a failing Teams or Graph call before the send is reported as failed. */
    retryForSeconds: z.number().int().min(1).max(900).default(120),
  })
  .strict();

export type TeamsConfig = z.output<typeof teamsConfigSchema>;

const FROM_ENV: [keyof TeamsConfig, string][] = [
  ['appId', 'TEAMS_APP_ID'],
  ['appPassword', 'TEAMS_APP_PASSWORD'],
  ['tenantId', 'TEAMS_TENANT_ID'],
  ['teamId', 'TEAMS_TEAM_ID'],
  ['meetingOrganizer', 'TEAMS_MEETING_ORGANIZER'],
  ['loginUrl', 'MICROSOFT_LOGIN_URL'],
  ['openIdMetadataUrl', 'TEAMS_OPENID_METADATA_URL'],
  ['serviceUrl', 'TEAMS_SERVICE_URL'],
  ['graphUrl', 'GRAPH_API_URL'],
];

/** Parses the `teams:` section, filling what the file leaves out from the TEAMS_* variables. */
export function readTeamsConfig(input: unknown = {}, env: NodeJS.ProcessEnv = process.env): TeamsConfig {
  const raw = { ...((input ?? {}) as Record<string, unknown>) };
  // `${VAR}` of an unset variable interpolates to '' upstream: treat it as not given.
  for (const [key, name] of FROM_ENV) {
    if (raw[key] === '' || raw[key] === undefined) {
      if (env[name]) raw[key] = env[name];
      else delete raw[key];
    }
  }
  return teamsConfigSchema.parse(raw);
}

/** Teams counts as configured when the bot's credentials are there (the rest is checked at start). */
export function isTeamsConfigured(config: TeamsConfig): boolean {
  return Boolean(config.appId && config.appPassword);
}
