/** The workspace a fake Slack holds: users, channels, messages. Shapes follow the Web API's own. */

export interface FakeUser {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export interface FakeMessage {
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  blocks?: unknown[];
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  latest_reply?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** As `conversations.history` returns them: each emoji name with the users who reacted. */
  reactions?: { name: string; users: string[]; count: number }[];
  edited?: { user: string; ts: string };
  team?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  isArchived: boolean;
  created: number;
  creator: string;
  topic: string;
  members: Set<string>;
  /** Top-level messages and replies, in posting order. */
  messages: FakeMessage[];
  bookmarks: { id: string; title: string; link?: string }[];
  pins: Set<string>;
  /** For an IM: the other person. */
  user?: string;
}

export const TEAM_ID = 'T0FAKE001';
export const BOT_USER_ID = 'U0SIDEKICK';
export const BOT_ID = 'B0SIDEKICK';

/** Mutable state with the id and ts generators Slack's formats need. */
export class FakeWorkspace {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  /** User groups (`S…`), such as an on-call group, and their members. */
  readonly userGroups = new Map<string, string[]>();
  /** Largest page any paginated method returns (see FakeSlack.pageCap). */
  pageCap?: number;
  private counter = 0;
  private lastTs = 0;

  constructor() {
    this.users.set(BOT_USER_ID, { id: BOT_USER_ID, name: 'sidekick', realName: 'Sidekick', displayName: 'Sidekick', isBot: true });
  }

  /** Unique, increasing `1767240000.000123`-style timestamps (10 digits, dot, 6 digits). */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}0${String(this.counter).padStart(8, '0')}`;
  }

  addUser(user: Partial<FakeUser> & { name: string }): FakeUser {
    const full: FakeUser = { id: user.id ?? this.nextId('U'), realName: user.name, displayName: user.name, ...user };
    this.users.set(full.id, full);
    return full;
  }

  addChannel(name: string, options: { members?: string[]; botIsMember?: boolean; isPrivate?: boolean; id?: string } = {}): FakeChannel {
    const channel: FakeChannel = {
      id: options.id ?? this.nextId(options.isPrivate ? 'G' : 'C'),
      name,
      isPrivate: options.isPrivate ?? false,
      isIm: false,
      isArchived: false,
      created: Math.floor(Date.now() / 1000),
      creator: BOT_USER_ID,
      topic: '',
      members: new Set([...(options.members ?? []), ...(options.botIsMember === false ? [] : [BOT_USER_ID])]),
      messages: [],
      bookmarks: [],
      pins: new Set(),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  findChannel(idOrName: string): FakeChannel | undefined {
    const byId = this.channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, '');
    return [...this.channels.values()].find((c) => !c.isIm && c.name === name);
  }

  /** The IM between the bot and `userId`, created on first use like conversations.open does. */
  imWith(userId: string): FakeChannel {
    const existing = [...this.channels.values()].find((c) => c.isIm && c.user === userId);
    if (existing) return existing;
    const channel = this.addChannel('', { id: this.nextId('D'), members: [userId] });
    channel.isIm = true;
    channel.user = userId;
    return channel;
  }

  /** Adds a message and keeps the thread parent's reply fields right. */
  addMessage(channel: FakeChannel, message: Omit<FakeMessage, 'type' | 'ts'> & { ts?: string }): FakeMessage {
    const full: FakeMessage = { type: 'message', ts: message.ts ?? this.nextTs(), ...message } as FakeMessage;
    if (full.thread_ts) {
      const parent = channel.messages.find((m) => m.ts === full.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.latest_reply = full.ts;
        full.parent_user_id = parent.user ?? BOT_USER_ID;
      }
    }
    channel.messages.push(full);
    return full;
  }
}

/** Serialises a conversation like conversations.info/list/create do. */
export function conversationObject(channel: FakeChannel, forUser = BOT_USER_ID): Record<string, unknown> {
  if (channel.isIm) {
    return { id: channel.id, is_im: true, user: channel.user, created: channel.created, is_org_shared: false };
  }
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    is_channel: !channel.isPrivate,
    is_group: channel.isPrivate,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    is_archived: channel.isArchived,
    is_general: false,
    is_member: channel.members.has(forUser),
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    created: channel.created,
    creator: channel.creator,
    topic: { value: channel.topic, creator: channel.topic ? BOT_USER_ID : '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    previous_names: [],
    num_members: channel.members.size,
  };
}

/** Opaque cursors, base64 like Slack's; `""` on the last page. */
export function paginate<T>(items: T[], cursor: unknown, limit: unknown, max: number, fallback: number): { page: T[]; next: string } | 'invalid_cursor' {
  let offset = 0;
  if (typeof cursor === 'string' && cursor !== '') {
    const decoded = Buffer.from(cursor, 'base64').toString('utf8');
    const match = /^next:(\d+)$/.exec(decoded);
    if (!match) return 'invalid_cursor';
    offset = Number(match[1]);
  }
  const size = Math.min(Math.max(Number(limit) || fallback, 1), max);
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(`next:${offset + size}`).toString('base64') : '';
  return { page, next };
}

export function userObject(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    team_id: TEAM_ID,
    name: user.name,
    deleted: user.deleted ?? false,
    real_name: user.realName,
    tz: 'Europe/Amsterdam',
    tz_label: 'Central European Time',
    tz_offset: 3600,
    is_admin: false,
    is_owner: false,
    is_bot: user.isBot ?? false,
    is_app_user: false,
    updated: 1767225600,
    profile: {
      display_name: user.displayName,
      real_name: user.realName,
      ...(user.email ? { email: user.email } : {}),
      status_text: '',
      status_emoji: '',
      team: TEAM_ID,
      image_24: 'https://a.slack-edge.com/x.png',
    },
  };
}
