import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChatAdapter, ChatHistoryMessage, ChatMessage, OpenedChannel, PostedMessage } from '../chat.js';
import type { Store } from '../../store/store.js';
import { ChatError } from '../chat-error.js';
import { translateToCards, type TeamsMessagePart } from './adaptive-card.js';
import type { TeamsCaller } from './teams-caller.js';
import { readAllPages, readTeamsHistory, type GraphChatMessage } from './teams-graph.js';
import { BOT_SCOPE, GRAPH_SCOPE } from './teams-token.js';

export interface TeamsChatOptions {
  caller: TeamsCaller;
  store: Store;
  log: Logger;
  appId: string;
  tenantId: string;
  teamId: string;
  serviceUrl: string;
  graphUrl: string;
  now?: () => Date;
}

/** A Teams channel id (`19:…@thread.tacv2` / `@thread.skype`). */
const CHANNEL_ID = /^19:[^;\s]+@thread\.[a-z0-9]+$/i;
/** A Teams user id as the Bot Connector knows them (per bot), or an Entra object id. */
const USER_ID = /^(29:\S+|8:orgid:\S+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** Errors that mean "this person cannot get a 1:1 message from us" (app not installed, blocked). */
const NO_DM = new Set(['TEAMS_BOTNOTINCONVERSATIONROSTER', 'TEAMS_FORBIDDEN', 'TEAMS_CONVERSATIONBLOCKEDBYUSER', 'TEAMS_HTTP_403']);
/** Graph's channel names: 50 characters, none of these (they break the channel's Files tab). */
const BAD_NAME_CHARACTERS = /[~#%&*{}+/\\:<>?|'"]/g;

/**
 * The Teams implementation of `ChatAdapter`: sends through the Bot Connector (REST on the
 * conversation's serviceUrl), creates channels and reads conversations through Microsoft Graph.
 *
 * A post in a channel starts a new thread there (`POST /v3/conversations` with the channel);
 * `PostedMessage.id` is the thread's root activity id, or `root/reply` for a reply in a thread,
 * so an update knows which conversation to PUT into.
 */
export class TeamsChat implements ChatAdapter {
  readonly name = 'teams';
  private readonly channelIds = new Map<string, string>();
  private readonly webUrls = new Map<string, string>();
  private readonly names = new Map<string, string>();
  /** Where each person last spoke, for the in-channel fallback of a 1:1 message. */
  private readonly lastSeen = new Map<string, { channel: string; name: string }>();
  private serviceUrl: string;
  private readonly now: () => Date;

  constructor(private readonly options: TeamsChatOptions) {
    this.serviceUrl = trimSlash(options.serviceUrl);
    this.now = options.now ?? (() => new Date());
  }

  get caller(): TeamsCaller {
    return this.options.caller;
  }

  /** Activities tell us the tenant's regional service; proactive sends go there from then on. */
  noteActivity(activity: { serviceUrl?: string; userId?: string; userName?: string; channel?: string }): void {
    if (activity.serviceUrl) this.serviceUrl = trimSlash(activity.serviceUrl);
    if (activity.userId && activity.channel && CHANNEL_ID.test(activity.channel)) {
      this.lastSeen.set(activity.userId, { channel: activity.channel, name: activity.userName ?? 'there' });
    }
  }

  async resolveChannel(nameOrId: string): Promise<string> {
    const value = nameOrId.trim();
    if (CHANNEL_ID.test(value) || USER_ID.test(value) || value.startsWith('a:')) return value;
    const name = value.replace(/^#/, '').toLowerCase();
    const cached = this.channelIds.get(name);
    if (cached) return cached;
    const channels = await readAllPages<{ id: string; displayName: string; webUrl?: string }>(this.caller, `${this.options.graphUrl}/teams/${encodeURIComponent(this.options.teamId)}/channels`);
    // Everything seen is cached: a flow naming five channels costs one listing, not five.
    for (const channel of channels) this.remember(channel.id, channel.displayName, channel.webUrl);
    const found = this.channelIds.get(name);
    if (!found) throw new ChatError('TEAMS_CHANNEL_NOT_FOUND', `no channel named "${name.slice(0, 50)}" in the team TEAMS_TEAM_ID; create it or check the name`);
    return found;
  }

  async post(channel: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage> {
    const done = await this.recorded(idempotencyKey);
    if (done) return done;
    const target = await this.resolveChannel(channel);
    if (USER_ID.test(target)) return this.directMessage(target, message, idempotencyKey);
    return this.send(target, translateToCards(message), idempotencyKey, message.threadId);
  }

  /**
   * Edits a message in place (PUT of the activity). A card that no longer fits continues in
   * replies to it (posted once per content, however often the update is retried).
   */
  async update(target: PostedMessage, message: ChatMessage): Promise<void> {
    const [first, ...rest] = translateToCards(message);
    const { conversation, activityId } = this.locate(target);
    await this.caller.call({
      method: 'PUT',
      url: `${this.serviceUrl}/v3/conversations/${encodeURIComponent(conversation)}/activities/${encodeURIComponent(activityId)}`,
      scope: BOT_SCOPE,
      body: { ...toActivity(rest.length ? { ...first, text: `${first.text} (continued in the replies)` } : first), id: activityId },
      thread: conversation.split(';')[0],
    });
    if (rest.length === 0) return;
    const digest = createHash('sha256').update(JSON.stringify(message)).digest('hex').slice(0, 16);
    await this.send(target.channel, rest, `update:${target.channel}:${target.id}:${digest}`, target.id.split('/')[0]);
  }

  /**
   * A 1:1 message: the Bot Connector creates (or finds) the personal conversation, which works once
   * the app is installed for the person or in a team they belong to. Where Teams refuses, the
   * message goes to the channel the person last spoke in, with an @mention.
   */
  async directMessage(userId: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage> {
    const done = await this.recorded(idempotencyKey);
    if (done) return done;
    let conversation: string;
    try {
      conversation = await this.personalConversation(userId);
    } catch (error) {
      const seen = this.lastSeen.get(userId);
      if (!NO_DM.has((error as ChatError).code) || !seen) throw error;
      this.options.log.info({ code: (error as ChatError).code }, 'teams: no 1:1 conversation; mentioning in the channel instead');
      const parts = translateToCards(message);
      parts[0] = withMention(parts[0], userId, seen.name);
      return this.send(seen.channel, parts, idempotencyKey);
    }
    return this.send(conversation, translateToCards(message), idempotencyKey);
  }

  async openChannel(request: { name: string; topic?: string; members?: string[] }, idempotencyKey: string): Promise<OpenedChannel> {
    const effectKey = `teams:channel:${idempotencyKey}`;
    const done = (await this.options.store.getEffect(effectKey)) as OpenedChannel | undefined;
    if (done) {
      this.remember(done.id, done.name, done.url);
      return done;
    }
    const displayName = channelDisplayName(request.name);
    let opened: OpenedChannel;
    try {
      const created = await this.caller.call<{ id: string; displayName: string; webUrl?: string }>({
        method: 'POST',
        url: `${this.options.graphUrl}/teams/${encodeURIComponent(this.options.teamId)}/channels`,
        scope: GRAPH_SCOPE,
        body: { displayName, description: (request.topic ?? '').slice(0, 1024), membershipType: 'standard' },
      });
      opened = { id: created.id, name: created.displayName, url: created.webUrl };
    } catch (error) {
      // A retry after a crash between create and record: the channel is there under our name.
      if ((error as ChatError).code !== 'TEAMS_NAMEALREADYEXISTS') throw error;
      const id = await this.resolveChannel(displayName);
      opened = { id, name: displayName, url: this.webUrls.get(id) };
    }
    this.remember(opened.id, opened.name, opened.url);
    opened.url ??= this.channelUrl(opened.id);
    await this.options.store.putEffect(effectKey, opened, this.now().toISOString());
    return opened;
  }

  /**
   * Teams channels have a description, not a topic: Graph `PATCH /teams/{team}/channels/{id}`
   * writes it (ChannelSettings.ReadWrite.Group in the app package, or ChannelSettings.ReadWrite.All).
   */
  async setTopic(channel: string, topic: string): Promise<void> {
    const id = await this.resolveChannel(channel);
    await this.caller.call({
      method: 'PATCH',
      url: `${this.options.graphUrl}/teams/${encodeURIComponent(this.options.teamId)}/channels/${encodeURIComponent(id)}`,
      scope: GRAPH_SCOPE,
      // Graph limits a description to 1024 characters.
      body: { description: topic.slice(0, 1024) },
    });
  }

  async history(channel: string, since?: string): Promise<ChatHistoryMessage[]> {
    const id = await this.resolveChannel(channel);
    return readTeamsHistory(this.caller, this.options.graphUrl, this.options.teamId, id, since);
  }

  channelUrl(channel: string): string | undefined {
    if (!CHANNEL_ID.test(channel)) return undefined;
    const known = this.webUrls.get(channel);
    if (known) return known;
    const name = encodeURIComponent(this.names.get(channel) ?? 'channel');
    return `https://teams.microsoft.com/l/channel/${encodeURIComponent(channel)}/${name}?groupId=${encodeURIComponent(this.options.teamId)}&tenantId=${encodeURIComponent(this.options.tenantId)}`;
  }

  private async personalConversation(userId: string): Promise<string> {
    const key = `teams:dm:${userId}`;
    const known = await this.options.store.getEffect(key);
    if (typeof known === 'string') return known;
    const created = await this.caller.call<{ id: string }>({
      method: 'POST',
      url: `${this.serviceUrl}/v3/conversations`,
      scope: BOT_SCOPE,
      body: {
        isGroup: false,
        bot: { id: `28:${this.options.appId}` },
        members: [{ id: userId }],
        tenantId: this.options.tenantId,
        channelData: { tenant: { id: this.options.tenantId } },
      },
      thread: `create:${userId}`,
    });
    await this.options.store.putEffect(key, created.id, this.now().toISOString());
    return created.id;
  }

  /** Sends the parts in order; the first opens a thread in a channel, the rest reply to it. */
  private async send(target: string, parts: TeamsMessagePart[], idempotencyKey: string, threadId?: string): Promise<PostedMessage> {
    let first: PostedMessage | undefined;
    let root = threadId?.split('/')[0];
    for (const [index, part] of parts.entries()) {
      // Each part has its own key, so a retry after part 2 of 4 resumes at part 3.
      const key = index === 0 ? idempotencyKey : `${idempotencyKey}#${index + 1}`;
      let posted = await this.recorded(key);
      if (!posted) {
        const marker = markerOf(key);
        // A crash after an earlier attempt sent but before it was recorded: find that message instead of repeating it.
        if (CHANNEL_ID.test(target) && (await this.options.store.getEffect(`teams:pending:${key}`))) posted = await this.findMarked(target, marker, root);
        if (!posted) {
          await this.options.store.putEffect(`teams:pending:${key}`, true, this.now().toISOString());
          posted = await this.sendOne(target, markPart(part, marker), root, marker, key);
        }
        await this.options.store.putEffect(`teams:post:${key}`, posted, this.now().toISOString());
      }
      first ??= posted;
      root ??= CHANNEL_ID.test(target) ? posted.id : undefined;
    }
    return first!;
  }

  private async sendOne(target: string, part: TeamsMessagePart, root: string | undefined, marker: string, key: string): Promise<PostedMessage> {
    const activity = toActivity(part);
    const findApplied =
      CHANNEL_ID.test(target) && part.card
        ? () => this.findMarked(target, marker, root).then((found) => found && { id: found.id.split('/').pop()!, activityId: found.id.split('/').pop()! })
        : undefined;
    if (CHANNEL_ID.test(target) && !root) {
      const created = await this.caller.call<{ id: string; activityId?: string }>({
        method: 'POST',
        url: `${this.serviceUrl}/v3/conversations`,
        scope: BOT_SCOPE,
        body: { isGroup: true, channelData: { channel: { id: target }, tenant: { id: this.options.tenantId } }, activity },
        thread: target,
        paceKey: key,
        findApplied,
      });
      const id = created.activityId ?? /;messageid=(\d+)/.exec(created.id)?.[1];
      if (!id) throw new ChatError('TEAMS_BAD_RESPONSE', 'the Bot Connector created the thread but returned no activity id');
      return { channel: target, id, url: this.messageUrl(target, id) };
    }
    const conversation = CHANNEL_ID.test(target) ? `${target};messageid=${root}` : target;
    const answer = await this.caller.call<{ id: string }>({
      method: 'POST',
      url: `${this.serviceUrl}/v3/conversations/${encodeURIComponent(conversation)}/activities`,
      scope: BOT_SCOPE,
      body: activity,
      thread: target,
      paceKey: key,
      findApplied,
    });
    return { channel: target, id: root ? `${root}/${answer.id}` : answer.id };
  }

  /** The bot's message carrying `marker` among the newest of the channel (or of the thread under `root`). */
  private async findMarked(channel: string, marker: string, root?: string): Promise<PostedMessage | undefined> {
    const base = `${this.options.graphUrl}/teams/${encodeURIComponent(this.options.teamId)}/channels/${encodeURIComponent(channel)}/messages`;
    const page = await this.caller.call<{ value?: GraphChatMessage[] }>({
      method: 'GET',
      url: root ? `${base}/${encodeURIComponent(root)}/replies?$top=50` : `${base}?$top=50`,
      scope: GRAPH_SCOPE,
    });
    const found = (page.value ?? []).find((m) => m.from?.application && (m.attachments ?? []).some((a) => (a.content ?? '').includes(marker)));
    if (!found) return undefined;
    return root ? { channel, id: `${root}/${found.id}` } : { channel, id: found.id, url: this.messageUrl(channel, found.id) };
  }

  private locate(target: PostedMessage): { conversation: string; activityId: string } {
    const [root, reply] = target.id.split('/');
    if (CHANNEL_ID.test(target.channel)) return { conversation: `${target.channel};messageid=${root}`, activityId: reply ?? root };
    return { conversation: target.channel, activityId: reply ?? root };
  }

  private async recorded(key: string): Promise<PostedMessage | undefined> {
    return (await this.options.store.getEffect(`teams:post:${key}`)) as PostedMessage | undefined;
  }

  private remember(id: string, name: string, webUrl?: string): void {
    this.channelIds.set(name.toLowerCase(), id);
    this.names.set(id, name);
    if (webUrl) this.webUrls.set(id, webUrl);
  }

  private messageUrl(channel: string, id: string): string {
    return `https://teams.microsoft.com/l/message/${encodeURIComponent(channel)}/${id}?groupId=${encodeURIComponent(this.options.teamId)}&tenantId=${encodeURIComponent(this.options.tenantId)}`;
  }
}

/** A message activity carrying one card (or plain Markdown text when there is no card). */
export function toActivity(part: TeamsMessagePart): Record<string, unknown> {
  if (!part.card) return { type: 'message', text: part.text, textFormat: 'markdown' };
  return {
    type: 'message',
    summary: part.text,
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: part.card }],
    ...(part.mentions ? { entities: part.mentions } : {}),
  };
}

/** A short, stable tag of an idempotency key, carried in the card so the message can be found again. */
function markerOf(key: string): string {
  return `sidekick-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

/** Puts the marker on the card as the id of its first element (shown nowhere, returned by Graph). */
function markPart(part: TeamsMessagePart, marker: string): TeamsMessagePart {
  if (!part.card || part.card.body.length === 0) return part;
  const [first, ...rest] = part.card.body;
  return { ...part, card: { ...part.card, body: [{ ...first, id: marker }, ...rest] } };
}

function withMention(part: TeamsMessagePart, userId: string, name: string): TeamsMessagePart {
  const at = `<at>${name.replace(/[<>]/g, '')}</at>`;
  const entity = { type: 'mention', text: at, mentioned: { id: userId, name } };
  if (!part.card) return { ...part, text: `${at} ${part.text}`, mentions: [entity] };
  const card = { ...part.card, body: [{ type: 'TextBlock', text: at, wrap: true }, ...part.card.body], msteams: { ...part.card.msteams, entities: [entity] } };
  return { ...part, card, mentions: [entity] };
}

export function channelDisplayName(name: string): string {
  const cleaned = name
    .replace(BAD_NAME_CHARACTERS, '')
    .replace(/^[_.\s]+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return (cleaned || 'incident').slice(0, 50).trim();
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
