/**
 * The chat interface every box talks through. The built-in incident room, Slack and Teams implement
 * it; Mattermost would be one more folder here and one line in `adapters.ts`.
 *
 * Messages are written in a neutral block model that each adapter translates (Block Kit, Adaptive Cards, HTML).
 */

/** A button that reports back through `ChatInbound.onClick` with its opaque `value`. */
export interface ChatButton {
  label: string;
  /** Opaque, signed by the engine; adapters pass it through untouched. */
  value: string;
  style?: 'primary' | 'danger';
}

export type ChatBlock =
  | { type: 'header'; text: string }
  /** Markdown-ish text: *bold*, _italic_, `code`, <url|label> links. */
  | { type: 'text'; text: string }
  /** A command to copy; `sources` says where each interpolated value came from. */
  | { type: 'code'; text: string; sources?: { path: string; value: string }[] }
  | { type: 'buttons'; buttons: ChatButton[] }
  | { type: 'context'; text: string }
  | { type: 'link'; label: string; url: string }
  | { type: 'divider' };

export interface ChatMessage {
  /** Plain-text fallback (notifications, logs, adapters without blocks). */
  text: string;
  blocks?: ChatBlock[];
  /** Reply in the thread of this message id. */
  threadId?: string;
  /**
   * Plain posts with the same value (the incident's id) waiting for one paced channel may go out
   * as one message. Leave it out for messages that are edited later or carry buttons.
   */
  foldWith?: string;
}

/** Where a posted message lives, enough to update it later. */
export interface PostedMessage {
  channel: string;
  id: string;
  url?: string;
}

export interface OpenedChannel {
  id: string;
  name: string;
  url?: string;
}

/** A message read back from a channel, for the timeline and the report. */
export interface ChatHistoryMessage {
  id: string;
  channel: string;
  userId: string;
  userName: string;
  text: string;
  at: string;
  threadId?: string;
  fromBot: boolean;
  edited?: boolean;
}

export interface ChatClick {
  value: string;
  userId: string;
  userName: string;
  channel: string;
  messageId: string;
}

export interface ChatIncomingMessage {
  channel: string;
  userId: string;
  userName: string;
  text: string;
  id: string;
  threadId?: string;
  at: string;
  kind?: 'new' | 'edited' | 'deleted';
}

/** What an adapter calls when people act in chat. */
/**
 * A person marks a message as a decision or key moment (Slack: a message shortcut or the 📌
 * reaction; the room: a button), or takes the mark back (`removed`).
 */
export interface ChatMark {
  channel: string;
  messageId: string;
  kind: 'decision' | 'key-moment';
  userId: string;
  userName: string;
  /** The message's text when the platform sent it along (a shortcut does; a reaction does not). */
  text?: string;
  /** Who wrote the message, when known. */
  authorName?: string;
  authorId?: string;
  removed?: boolean;
}

export interface ChatInbound {
  onClick(click: ChatClick): Promise<void>;
  onMessage(message: ChatIncomingMessage): Promise<void>;
  /** Optional so that adapters' tests may pass a bare inbound; the runtime always implements it. */
  onMark?(mark: ChatMark & { adapter: string }): Promise<void>;
}

export interface ChatAdapter {
  readonly name: string;
  /** Resolves `#name` or an id to a channel id, creating nothing. */
  resolveChannel(nameOrId: string): Promise<string>;
  /** Posts once per idempotency key: a retry with the same key returns the first post. */
  post(channel: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage>;
  update(target: PostedMessage, message: ChatMessage): Promise<void>;
  /** A private message to one person. */
  directMessage(userId: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage>;
  /** Opens (or, for the same key, finds again) a channel for one incident. */
  openChannel(request: { name: string; topic?: string; members?: string[] }, idempotencyKey: string): Promise<OpenedChannel>;
  /** Every message in a channel since a time, thread replies included, oldest first. */
  history(channel: string, since?: string): Promise<ChatHistoryMessage[]>;
  /** A link that opens the channel for a person. */
  channelUrl?(channel: string): string | undefined;
  /** Keeps a link at hand in the channel (Slack bookmarks); adapters without the idea leave it out. */
  bookmark?(channel: string, title: string, url: string): Promise<void>;
  /** Pins a message to the channel (the playbook); adapters without the idea leave it out. */
  pin?(message: PostedMessage): Promise<void>;
  /** Sets a channel's topic (Slack: the topic; Teams: the channel description) to the incident and its role holders; the room shows roles itself. */
  setTopic?(channel: string, topic: string): Promise<void>;
}
