import { SidekickError } from '../../errors/sidekick-error.js';
import { App, LogLevel } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ChatInbound } from '../chat.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../../util/clock.js';
import type { IncidentCommands } from '../incident-commands.js';
import { registerSlackHandlers } from './register-slack-handlers.js';
import { registerSlackRoutes } from './register-slack-routes.js';
import { readSlackConfig, type SlackConfig } from './slack-config.js';
import { SlackChat } from './slack-chat.js';
import { SlackEventDedup } from './slack-event-dedup.js';
import { toSlackLogger } from './slack-logger.js';
import { FastifySlackReceiver } from './slack-receiver.js';
import type { RetryOptions } from '../retry-options.js';

/** Slack, assembled: the chat adapter, the Bolt app receiving events, and how to wire both in. */
export interface SlackIntegration {
  chat: SlackChat;
  config: SlackConfig;
  /** 'http' (POST /slack/events) or 'socket' (SLACK_APP_TOKEN set). */
  mode: 'http' | 'socket';
  /** Gives Slack someone to tell about messages, clicks and commands; in Socket Mode, also connects. */
  connect(inbound: ChatInbound, commands: IncidentCommands): Promise<void>;
  /** Adds POST /slack/events (HTTP mode; nothing in Socket Mode). */
  registerRoutes(fastify: FastifyInstance): void;
  close(): Promise<void>;
}

/** The `slack:` section or the SLACK_* variables are not usable; the message says which. */
export class SlackConfigError extends SidekickError {
  constructor(message: string) {
    super('SLACK_CONFIG_INVALID', message);
    this.name = 'SlackConfigError';
  }
}

/** Builds Slack from the `slack:` section (and the SLACK_* environment variables). */
export async function createSlack(
  section: unknown,
  deps: {
    store: Store;
    log: Logger;
    clock: Clock;
    publicUrl: string;
    env?: NodeJS.ProcessEnv;
    /** Tests: faster backoff. */
    retry?: RetryOptions;
    /** Tests: how long a slash command may take before the answer goes via response_url. */
    commandBudgetMs?: number;
  },
): Promise<SlackIntegration> {
  const config = readSlackConfig(section, deps.env ?? process.env);
  if (!config.botToken) throw new SlackConfigError('Slack needs a bot token: set SLACK_BOT_TOKEN (OAuth & Permissions → Bot User OAuth Token)');
  const mode = config.appToken ? 'socket' : 'http';
  if (mode === 'http' && !config.signingSecret) {
    throw new SlackConfigError('Slack HTTP mode needs SLACK_SIGNING_SECRET (Basic Information → Signing Secret), or set SLACK_APP_TOKEN for Socket Mode');
  }
  const log = deps.log.child({ component: 'slack' });
  const chat = new SlackChat({
    token: config.botToken,
    apiUrl: config.apiUrl,
    store: deps.store,
    log,
    now: () => deps.clock.now(),
    sendRatePerSecond: config.sendRatePerSecond,
    sendBurst: config.sendBurst,
    retry: { maxElapsedMs: config.retryForSeconds * 1000, ...deps.retry },
  });
  // Learn who we are early, without making start-up depend on Slack being reachable.
  chat.identity().catch((error: unknown) => log.warn({ code: (error as { code?: string }).code }, 'slack: auth.test failed; will retry on first use'));

  let inbound: ChatInbound | undefined;
  let commands: IncidentCommands | undefined;
  const receiver = mode === 'http' ? new FastifySlackReceiver() : undefined;
  const botToken = config.botToken;
  const app = new App({
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken }),
    // Our own authorize: the identity is cached and retried by SlackChat. Bolt's default calls
    // auth.test once in the constructor and, if Slack is down then, fails every event after.
    authorize: async () => {
      const me = await Promise.race([chat.identity().catch(() => undefined), new Promise<undefined>((resolve) => void setTimeout(() => resolve(undefined), 2000).unref())]);
      return { botToken, ...(me ? { botId: me.botId, botUserId: me.userId, teamId: me.teamId } : {}) };
    },
    clientOptions: { ...(chat.apiUrl ? { slackApiUrl: chat.apiUrl } : {}), retryConfig: { retries: 0 } },
    logger: toSlackLogger(log),
    logLevel: LogLevel.WARN,
  });
  registerSlackHandlers(app, {
    inbound: () => inbound,
    commands: () => commands,
    users: chat.users,
    dedup: new SlackEventDedup(deps.store),
    resolveButtonValue: (value) => chat.resolveButtonValue(value),
    log,
    commandBudgetMs: deps.commandBudgetMs,
  });

  let started = false;
  return {
    chat,
    config,
    mode,
    async connect(nextInbound, nextCommands) {
      inbound = nextInbound;
      commands = nextCommands;
      if (mode === 'socket' && !started) {
        started = true;
        // Never rejects: callers may not await it, and a bad app token must not crash Sidekick.
        try {
          await app.start();
          log.info('slack: connected in Socket Mode');
        } catch (error) {
          started = false;
          log.error({ code: (error as { code?: string }).code, err: (error as Error).message }, 'slack: Socket Mode could not connect; check SLACK_APP_TOKEN');
        }
      }
    },
    registerRoutes(fastify) {
      if (!receiver) return;
      registerSlackRoutes(fastify, { signingSecret: config.signingSecret!, app: receiver, log, now: () => deps.clock.now().getTime() });
    },
    async close() {
      if (started) await app.stop();
    },
  };
}
