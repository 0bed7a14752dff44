import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatAdapter, ChatMessage, OpenedChannel, PostedMessage } from '../src/chat/chat.js';
import type { Meeting, MeetingProvider } from '../src/meetings/meeting-provider.js';

/** One call to a slow fake, with when it started and ended (performance.now()). */
export interface FakeCall {
  service: 'chat' | 'meetings';
  method: string;
  channel?: string;
  message?: ChatMessage;
  startedAt: number;
  endedAt: number;
}

/** A shared log of calls, so chat and meetings land on one time line. */
export class CallLog {
  readonly calls: FakeCall[] = [];

  async record<T>(delayMs: number, call: Omit<FakeCall, 'startedAt' | 'endedAt'>, result: () => T): Promise<T> {
    const startedAt = performance.now();
    await sleep(delayMs);
    const value = result();
    this.calls.push({ ...call, startedAt, endedAt: performance.now() });
    return value;
  }
}

/**
 * A chat service that takes `delayMs` to answer every call (a far-away Slack). Posts are
 * idempotent per key like the real adapters; channels are named `C-<name>`.
 */
export class SlowChat implements ChatAdapter {
  readonly name = 'slow-chat';
  private readonly posts = new Map<string, PostedMessage>();
  private sequence = 0;

  constructor(
    private readonly log: CallLog,
    private readonly delayMs: number,
  ) {}

  resolveChannel(nameOrId: string): Promise<string> {
    return this.log.record(this.delayMs, { service: 'chat', method: 'resolveChannel', channel: nameOrId }, () => (nameOrId.startsWith('#') ? `C-${nameOrId.slice(1)}` : nameOrId));
  }

  post(channel: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage> {
    return this.log.record(this.delayMs, { service: 'chat', method: 'post', channel, message }, () => {
      const existing = this.posts.get(idempotencyKey);
      if (existing) return existing;
      const posted = { channel, id: `M${++this.sequence}` };
      this.posts.set(idempotencyKey, posted);
      return posted;
    });
  }

  update(target: PostedMessage, message: ChatMessage): Promise<void> {
    return this.log.record(this.delayMs, { service: 'chat', method: 'update', channel: target.channel, message }, () => undefined);
  }

  directMessage(userId: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage> {
    return this.post(`D-${userId}`, message, idempotencyKey);
  }

  openChannel(request: { name: string }): Promise<OpenedChannel> {
    return this.log.record(this.delayMs, { service: 'chat', method: 'openChannel', channel: request.name }, () => ({
      id: `C-${request.name}`,
      name: request.name,
    }));
  }

  async history(): Promise<[]> {
    return [];
  }
}

/** A meeting provider that takes `delayMs` to create a meeting. */
export class SlowMeetings implements MeetingProvider {
  readonly name = 'slow-meetings';

  constructor(
    private readonly log: CallLog,
    private readonly delayMs: number,
  ) {}

  create(request: { title: string; incidentId: string }, idempotencyKey: string): Promise<Meeting> {
    return this.log.record(this.delayMs, { service: 'meetings', method: 'create' }, () => ({
      provider: this.name,
      id: idempotencyKey,
      joinUrl: `https://meet.example.com/${encodeURIComponent(request.incidentId)}`,
    }));
  }
}
