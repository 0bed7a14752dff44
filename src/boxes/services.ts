import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { ChatAdapter } from '../chat/chat.js';
import type { MeetingProvider } from '../meetings/meeting-provider.js';
import type { IssueTracker } from '../trackers/issue-tracker.js';
import type { GraphProvider } from '../graphs/graph-provider.js';
import type { PlaybookLibrary } from '../playbooks/playbook.js';
import type { Clock } from '../util/clock.js';
import type { HttpTarget } from './http-targets.js';
import type { Incident, IncidentChannel, IncidentStatus } from '../incidents/incident.js';
import type { IncidentPatch } from '../store/store.js';

/**
 * Everything a box may touch outside itself. Built once at start; replaced wholesale in tests.
 * Boxes are the engine's only way out: the engine hands these over and names none of them.
 */
export interface Services {
  store: Store;
  chat: ChatAdapter;
  /** Every configured chat by name, for flows and boxes that pick one (`chat: teams`). */
  chats?: Record<string, ChatAdapter>;
  meetings: MeetingProvider;
  /** Used when the configured meeting provider fails. */
  fallbackMeetings: MeetingProvider;
  tracker: IssueTracker;
  graphs?: GraphProvider;
  playbooks: PlaybookLibrary;
  clock: Clock;
  newId(): string;
  log: Logger;
  /** The address people reach Sidekick at; every link is built from it. */
  publicUrl: string;
  /**
   * Renders an incident's report (Markdown) from its timeline, with the AI draft when a model is
   * configured (made on first use; `redraft` asks the model again).
   */
  renderReport(incidentId: string, options?: { redraft?: boolean }): Promise<string>;
  /** The channel an incident talks in when no flow opened one of its own. */
  defaultChannel: string;
  /** Incident changes that must also reach other runs and live views (events, SSE). */
  incidents: {
    update(id: string, patch: IncidentPatch): Promise<Incident>;
    setStatus(id: string, status: IncidentStatus, actor: string): Promise<Incident>;
    /** Once per person; concurrent clicks never lose one. */
    addResponder(id: string, user: { userId: string; userName: string }): Promise<void>;
    addChannels(id: string, channels: IncidentChannel[], replaceRole?: { adapter: string; role: IncidentChannel['role'] }): Promise<void>;
    /** Channels a post reached, recorded from the incident the box holds (no read, no version bump). */
    recordChannels(held: Incident, channels: IncidentChannel[]): Promise<void>;
  };
  /** `http.allow` of sidekick.yaml: where http-request boxes may send requests; absent, anywhere. */
  httpTargets?: readonly HttpTarget[];
  /** Signs and checks button values so a click cannot be forged into another incident's run. */
  signer: { sign(payload: string): string; verify(value: string): string | undefined };
}
