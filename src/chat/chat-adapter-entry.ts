import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { MeetingProvider } from '../meetings/meeting-provider.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { ChatAdapter, ChatInbound } from './chat.js';
import type { IncidentCommands } from './incident-commands.js';

/** What every adapter is built with. */
export interface ChatAdapterDeps {
  store: Store;
  log: Logger;
  clock: Clock;
  publicUrl: string;
}

/** An adapter, assembled: the chat itself and how the runtime wires it in. */
export interface ChatIntegration {
  chat: ChatAdapter;
  /** Gives the adapter someone to tell about messages, clicks and commands. */
  connect(inbound: ChatInbound, commands: IncidentCommands): Promise<void> | void;
  /** Adds the adapter's inbound HTTP routes (Slack's /slack/events, Teams' /teams/messages). */
  registerRoutes(app: FastifyInstance): void;
  close?(): Promise<void>;
  /**
   * Meetings the chat offers when `meetings:` kept its default (Teams online meetings); none, or
   * `undefined` from it, leaves Jitsi in place.
   */
  meetings?(deps: { store: Store; now: () => Date }): Promise<MeetingProvider | undefined>;
}

/**
 * One chat adapter as the registry (`chat/adapters.ts`) knows it: its `<name>:` section of
 * sidekick.yaml and how to build it. `create` loads the vendor's SDK with `import()`, so an adapter
 * nobody configured costs nothing at start-up.
 */
export interface ChatAdapterEntry<N extends string = string, C = unknown> {
  /** `chat.adapter` and `chat:` on a flow or box say it; also the name of its config section. */
  readonly name: N;
  /** Parses the section, filling what the file leaves out from the adapter's environment variables. */
  readConfig(input: unknown, env: NodeJS.ProcessEnv): C;
  /** Started even when `chat.adapter` names another one, and picked as the default, when true. */
  isConfigured(config: C): boolean;
  create(config: C, deps: ChatAdapterDeps): Promise<ChatIntegration>;
}

/** Declares an adapter's registry entry, keeping its name and config type precise. */
export function defineChatAdapter<const N extends string, C>(entry: ChatAdapterEntry<N, C>): ChatAdapterEntry<N, C> {
  return entry;
}
