import type { ChatAdapter, ChatHistoryMessage, ChatMessage, OpenedChannel, PostedMessage } from '../chat.js';
import type { Store } from '../../store/store.js';
import type { RoomMessage } from './room-queries.js';
import type { Clock } from '../../util/clock.js';
import type { LiveEvents } from '../../util/live-events.js';
import { roomChannelUrl } from '../../incidents/incident-links.js';

const BOT = { userId: 'sidekick', userName: 'Sidekick' };

/**
 * The built-in incident room: chat stored in Sidekick's own database and shown by its web UI, so
 * the whole story works with no chat account. Channels are created on first use; a direct message
 * goes to a channel named `@<user>`.
 */
export class RoomChat implements ChatAdapter {
  readonly name = 'room';

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly live: LiveEvents,
    private readonly publicUrl: string,
  ) {}

  async resolveChannel(nameOrId: string): Promise<string> {
    // `#incidents` is stored as `incidents`: looked up by the stored name, so a channel that
    // exists is one read, never a create-and-read-back.
    const name = normaliseName(nameOrId);
    const existing = await this.store.getRoomChannel(nameOrId, name);
    if (existing) return existing.id;
    const channel = await this.store.ensureRoomChannel(name, undefined, this.now());
    return channel.id;
  }

  async post(channel: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage> {
    const stored = await this.add(channel, message, idempotencyKey);
    return { channel: stored.channel, id: stored.id, url: this.channelUrl(stored.channel) };
  }

  async update(target: PostedMessage, message: ChatMessage): Promise<void> {
    await this.store.updateRoomMessage(target.id, { text: message.text, blocks: message.blocks, editedAt: this.now() });
    const updated = await this.store.getRoomMessage(target.id);
    if (updated) this.live.emit('message-updated', updated);
  }

  async directMessage(userId: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage> {
    const channel = await this.store.ensureRoomChannel(`@${userId}`, `Direct messages with ${userId}`, this.now());
    return this.post(channel.id, message, idempotencyKey);
  }

  async openChannel(request: { name: string; topic?: string }, _idempotencyKey: string): Promise<OpenedChannel> {
    // Channel names are unique, so opening the same incident's channel twice finds the first one.
    const channel = await this.store.ensureRoomChannel(normaliseName(request.name), request.topic, this.now());
    return { id: channel.id, name: channel.name, url: this.channelUrl(channel.id) };
  }

  async history(channel: string, since?: string): Promise<ChatHistoryMessage[]> {
    const messages = await this.store.listRoomMessages({ channel, since, limit: 100_000 });
    return messages.map((message) => ({
      id: message.id,
      channel: message.channel,
      userId: message.userId,
      userName: message.userName,
      text: message.text,
      at: message.at,
      threadId: message.threadId,
      fromBot: message.fromBot,
      edited: Boolean(message.editedAt),
    }));
  }

  channelUrl(channel: string): string {
    return roomChannelUrl(this.publicUrl, channel);
  }

  /** A person speaking in the room (from the web UI). */
  async say(input: { channel: string; text: string; threadId?: string; userId: string; userName: string }): Promise<RoomMessage> {
    const message = await this.store.addRoomMessage({
      channel: input.channel,
      threadId: input.threadId,
      userId: input.userId,
      userName: input.userName,
      text: input.text,
      at: this.now(),
      fromBot: false,
    });
    this.live.emit('message', message);
    return message;
  }

  private async add(channel: string, message: ChatMessage, idempotencyKey: string): Promise<RoomMessage> {
    const stored = await this.store.addRoomMessage({
      channel,
      threadId: message.threadId,
      ...BOT,
      text: message.text,
      blocks: message.blocks,
      at: this.now(),
      fromBot: true,
      idempotencyKey,
    });
    this.live.emit('message', stored);
    return stored;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

/** `#Team DB` → `team-db`: lowercase, no leading `#`, spaces to dashes. */
function normaliseName(name: string): string {
  return name.replace(/^#/, '').trim().toLowerCase().replace(/\s+/g, '-').slice(0, 80) || 'incidents';
}
