import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { SidekickConfig } from '../config/config-sections.js';
import type { ChatAdapter, ChatInbound } from '../chat/chat.js';
import type { MeetingProvider } from '../meetings/meeting-provider.js';
import type { IssueTracker } from '../trackers/issue-tracker.js';
import type { GraphProvider } from '../graphs/graph-provider.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { LiveEvents } from '../util/live-events.js';
import type { IncidentService } from '../incidents/incident-service.js';
import { RoomChat } from '../chat/room/room-chat.js';
import { createMeetings } from '../meetings/create-meetings.js';
import type { MeetingsConfig } from '../meetings/meetings-config.js';
import type { TrackerConfig } from '../trackers/trackers-config.js';

/** The outside services Sidekick talks to, chosen by configuration. */
export interface Providers {
  chat: ChatAdapter;
  meetings: MeetingProvider;
  fallbackMeetings: MeetingProvider;
  tracker: IssueTracker;
  graphs?: GraphProvider;
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
  const tracker =
    overrides.tracker ??
    (await (await import('../trackers/create-tracker.js')).createTracker(config.tracker as TrackerConfig, { dataDir: deps.dataDir, publicUrl, store, log }));
  const graphs = overrides.graphs ?? (await import('../graphs/create-graphs.js')).createGraphs(config.graphs, { log });
  const base = { room, ...meetingSet, tracker, graphs };

  if (overrides.chat) return { ...base, chat: overrides.chat };
  if (config.chat.adapter === 'teams') {
    const { createTeams } = await import('../chat/teams/create-teams.js');
    const teams = createTeams(config.teams, { store, log, clock });
    const organizer = teams.config.meetingOrganizer;
    // Teams online meetings when an organizer is set (and no other provider was chosen); Jitsi stays the fallback.
    const teamsMeetings =
      organizer && !overrides.meetings && (config.meetings as MeetingsConfig).provider === 'jitsi'
        ? { meetings: new (await import('../meetings/teams-meetings.js')).TeamsMeetings({ caller: teams.chat.caller, graphUrl: teams.config.graphUrl.replace(/\/+$/, ''), organizer, store, now: () => clock.now() }) }
        : {};
    return {
      ...base,
      ...teamsMeetings,
      chat: teams.chat,
      connectInbound: (inbound, incidents) => teams.connect(inbound, incidents),
      registerRoutes: (app) => teams.registerRoutes(app),
    };
  }
  if (config.chat.adapter !== 'slack') return { ...base, chat: room };
  const { createSlack } = await import('../chat/slack/create-slack.js');
  const slack = await createSlack(config.slack, { store, log, clock, publicUrl });
  return {
    ...base,
    chat: slack.chat,
    connectInbound: (inbound, incidents) => slack.connect(inbound, incidents),
    registerRoutes: (app) => slack.registerRoutes(app),
    close: () => slack.close(),
  };
}
