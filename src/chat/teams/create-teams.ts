import { SidekickError } from '../../errors/sidekick-error.js';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ChatInbound } from '../chat.js';
import type { ChatIntegration } from '../chat-adapter-entry.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../../util/clock.js';
import type { IncidentCommands } from '../incident-commands.js';
import type { RetryOptions } from '../retry-options.js';
import { handleTeamsActivity } from './handle-teams-activity.js';
import { registerTeamsRoutes } from './register-teams-routes.js';
import { TeamsCaller } from './teams-caller.js';
import { TeamsChat } from './teams-chat.js';
import { readTeamsConfig, type TeamsConfig } from './teams-config.js';
import { TokenSource } from './teams-token.js';
import { TeamsTokenVerifier } from './verify-teams-token.js';

/** Teams, assembled: the chat adapter, the messaging endpoint, and how to wire both in. */
export interface TeamsIntegration {
  chat: TeamsChat;
  config: TeamsConfig;
  tokens: TokenSource;
  connect(inbound: ChatInbound, commands: IncidentCommands): void;
  /** Adds POST /teams/messages. */
  registerRoutes(fastify: FastifyInstance): void;
  /** Teams online meetings when an organizer is set; without one, Jitsi stays. */
  meetings: ChatIntegration['meetings'];
}

/** The `teams:` section or the TEAMS_* variables are not usable; the message says which. */
export class TeamsConfigError extends SidekickError {
  constructor(message: string) {
    super('TEAMS_CONFIG_INVALID', message);
    this.name = 'TeamsConfigError';
  }
}

/** Builds Teams from the `teams:` section (and the TEAMS_* environment variables). */
export function createTeams(section: unknown, deps: { store: Store; log: Logger; clock: Clock; env?: NodeJS.ProcessEnv; retry?: RetryOptions; fetch?: typeof fetch }): TeamsIntegration {
  const config = readTeamsConfig(section, deps.env ?? process.env);
  const missing = (
    [
      ['appId', 'TEAMS_APP_ID (the Azure Bot’s Microsoft App ID)'],
      ['appPassword', 'TEAMS_APP_PASSWORD (a client secret of that app)'],
      ['tenantId', 'TEAMS_TENANT_ID (the Entra tenant the bot is registered in)'],
      ['teamId', 'TEAMS_TEAM_ID (the team incident channels are created in)'],
    ] as const
  ).filter(([key]) => !config[key]);
  if (missing.length) throw new TeamsConfigError(`Teams needs ${missing.map(([, what]) => what).join(', ')}; see docs/teams.md`);
  const log = deps.log.child({ component: 'teams' });
  const tokens = new TokenSource({ loginUrl: config.loginUrl, tenantId: config.tenantId!, appId: config.appId!, appPassword: config.appPassword!, fetch: deps.fetch });
  const caller = new TeamsCaller(tokens, log, { maxElapsedMs: config.retryForSeconds * 1000, ...deps.retry }, undefined, deps.fetch);
  const chat = new TeamsChat({
    caller,
    store: deps.store,
    log,
    appId: config.appId!,
    tenantId: config.tenantId!,
    teamId: config.teamId!,
    serviceUrl: config.serviceUrl,
    graphUrl: config.graphUrl.replace(/\/+$/, ''),
    now: () => deps.clock.now(),
  });
  const verifier = new TeamsTokenVerifier({ openIdMetadataUrl: config.openIdMetadataUrl, appId: config.appId!, now: () => deps.clock.now().getTime(), fetch: deps.fetch });
  let inbound: ChatInbound | undefined;
  let commands: IncidentCommands | undefined;
  return {
    chat,
    config,
    tokens,
    connect(nextInbound, nextCommands) {
      inbound = nextInbound;
      commands = nextCommands;
    },
    registerRoutes(fastify) {
      registerTeamsRoutes(fastify, {
        verifier,
        log,
        handle: (activity) => handleTeamsActivity(activity, { chat, inbound: () => inbound, commands: () => commands, store: deps.store, log, now: () => deps.clock.now() }),
      });
    },
    async meetings({ store, now }) {
      const organizer = config.meetingOrganizer;
      if (!organizer) return undefined;
      const { TeamsMeetings } = await import('../../meetings/teams-meetings.js');
      return new TeamsMeetings({ caller, graphUrl: config.graphUrl.replace(/\/+$/, ''), organizer, store, now });
    },
  };
}
