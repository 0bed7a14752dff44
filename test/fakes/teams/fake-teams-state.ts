import { randomUUID } from 'node:crypto';

/** A person in the fake tenant: the Bot Connector id (`29:…`), the Entra object id, and whether the app is installed for them. */
export interface FakeTeamsUser {
  id: string;
  aadObjectId: string;
  name: string;
  /** The app is installed personally: a 1:1 conversation with the bot may be created. */
  installed: boolean;
}

/** One message of a channel thread or a chat, as Graph and the Bot Connector both see it. */
export interface FakeTeamsMessage {
  id: string;
  /** The thread root (channel replies); null for roots and chat messages. */
  replyToId: string | null;
  from: { user?: { id: string; displayName: string }; application?: { id: string; displayName: string } };
  /** What a person typed (HTML as Graph returns it), or a bot's fallback text. */
  html: string;
  /** The bot's activity as sent (card attachments included), for tests to read. */
  activity?: Record<string, unknown>;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface FakeChannel {
  id: string;
  displayName: string;
  description: string;
  webUrl: string;
  messages: FakeTeamsMessage[];
}

export interface FakeChat {
  id: string;
  userId: string;
  messages: FakeTeamsMessage[];
}

/** The tenant the fake serves: one team, its channels, people, personal chats and meetings. */
export class FakeTenant {
  readonly tenantId = 'tenant-0000-test';
  readonly teamId = 'team-0000-test';
  readonly channels = new Map<string, FakeChannel>();
  readonly chats = new Map<string, FakeChat>();
  readonly users = new Map<string, FakeTeamsUser>();
  readonly meetings: Record<string, unknown>[] = [];
  /** Organizers granted an application access policy for online meetings. */
  readonly meetingPolicy = new Set<string>();
  private sequence = 1_700_000_000_000;

  nextMessageId(): string {
    this.sequence += 1;
    return String(this.sequence);
  }

  addChannel(displayName: string, description = ''): FakeChannel {
    const id = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
    const channel = {
      id,
      displayName,
      description,
      webUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(id)}/${encodeURIComponent(displayName)}?groupId=${this.teamId}&tenantId=${this.tenantId}`,
      messages: [],
    };
    this.channels.set(id, channel);
    return channel;
  }

  findChannel(displayName: string): FakeChannel | undefined {
    return [...this.channels.values()].find((c) => c.displayName.toLowerCase() === displayName.toLowerCase());
  }

  addUser(options: { name: string; installed?: boolean }): FakeTeamsUser {
    const user = { id: `29:1${randomUUID().replace(/-/g, '')}`, aadObjectId: randomUUID(), name: options.name, installed: options.installed ?? true };
    this.users.set(user.id, user);
    return user;
  }

  /** The personal chat of a user with the bot, if one was created. */
  chatWith(userId: string): FakeChat | undefined {
    return [...this.chats.values()].find((c) => c.userId === userId);
  }

  /** Text a test can search: a message's HTML plus its card. */
  static textOf(message: FakeTeamsMessage): string {
    return `${message.html} ${JSON.stringify(message.activity?.attachments ?? [])}`;
  }
}
