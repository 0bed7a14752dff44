import type { Logger } from 'pino';
import type { Services } from '../boxes/services.js';
import type { FastifyInstance } from 'fastify';
import type { SidekickConfig } from '../config/config-sections.js';
import type { ChatAdapter, ChatInbound } from '../chat/chat.js';
import { CHAT_ADAPTERS } from '../chat/adapters.js';
import type { ChatAdapterEntry, ChatIntegration } from '../chat/chat-adapter-entry.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { LiveEvents } from '../util/live-events.js';
import type { IncidentService } from '../incidents/incident-service.js';
import { RoomChat } from '../chat/room/room-chat.js';
import { createMeetings } from '../meetings/create-meetings.js';
import type { MeetingsConfig } from '../meetings/meetings-config.js';
import type { TrackerConfig } from '../trackers/trackers-config.js';

/** The outside services Sidekick talks to, chosen by configuration: what boxes reach (see Services), and more. */
export interface Providers extends Pick<Services, 'chat' | 'chats' | 'meetings' | 'fallbackMeetings' | 'tracker' | 'graphs'> {
  /** The built-in room, always there (the web UI shows it even when Slack is the chat). */
  room: RoomChat;
  /** Hands the adapter what to call when people click or speak. */
  connectInbound?(inbound: ChatInbound, incidents: IncidentService): Promise<void> | void;
  /** Adds the adapter's HTTP routes (Slack's /slack/events). */
  registerRoutes?(app: FastifyInstance): Promise<void> | void;
  close?(): Promise<void>;
}

export async function createProviders(
  config: SidekickConfig,
  deps: {
    store: Store;
    clock: Clock;
    log: Logger;
    live: LiveEvents;
    publicUrl: string;
    dataDir: string;
    signingSecret: string;
    overrides: Partial<Providers>;
  },
): Promise<Providers> {
  const { store, clock, log, live, publicUrl, overrides } = deps;
  const room = new RoomChat(store, clock, live, publicUrl);
  const meetingSet = overrides.meetings
    ? { meetings: overrides.meetings, fallbackMeetings: overrides.fallbackMeetings ?? overrides.meetings }
    : createMeetings(config.meetings as MeetingsConfig, { jitsiSecret: deps.signingSecret, store, now: () => clock.now() });
  // Integrations load only when used: Bolt, Octokit and friends cost start-up time otherwise.
  const tracker = overrides.tracker ?? (await (await import('../trackers/create-tracker.js')).createTracker(config.tracker as TrackerConfig, { dataDir: deps.dataDir, publicUrl, store, log }));
  const graphs = overrides.graphs ?? (await import('../graphs/create-graphs.js')).createGraphs(config.graphs, { log });
  const base = { room, ...meetingSet, tracker, graphs };

  if (overrides.chat) return { ...base, chat: overrides.chat };
  // Several adapters may be configured at once: `chat.adapter` is the default, flows pick with `chat:`.
  // Each is created when it is the default or configured; its SDK loads only then.
  const entries: readonly ChatAdapterEntry[] = CHAT_ADAPTERS;
  const sections = config as unknown as Record<string, unknown>;
  const adapters: ChatIntegration[] = [];
  for (const entry of entries) {
    const section = sections[entry.name];
    if (config.chat.adapter === entry.name || entry.isConfigured(section)) adapters.push(await entry.create(section, { store, log, clock, publicUrl }));
  }
  let extra: Partial<Providers> = {};
  // A chat's own meetings (Teams online meetings) when no other provider was chosen; Jitsi stays the fallback.
  if (!overrides.meetings && (config.meetings as MeetingsConfig).provider === 'jitsi') {
    for (const adapter of adapters) {
      const meetings = await adapter.meetings?.({ store, now: () => clock.now() });
      if (meetings) {
        extra = { meetings };
        break;
      }
    }
  }
  const chats: Record<string, ChatAdapter> = { room, ...Object.fromEntries(adapters.map((adapter) => [adapter.chat.name, adapter.chat])) };
  return {
    ...base,
    ...extra,
    chat: chats[config.chat.adapter ?? 'room'] ?? room,
    chats,
    connectInbound: async (inbound, incidents) => {
      for (const adapter of adapters) await adapter.connect(inbound, incidents);
    },
    registerRoutes: (app) => {
      for (const adapter of adapters) adapter.registerRoutes(app);
    },
    close: async () => {
      for (const adapter of adapters) await adapter.close?.();
    },
  };
}
