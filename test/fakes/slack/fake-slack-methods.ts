import { checkBlocks, parseBlocks } from './fake-slack-blocks.js';
import { BOT_ID, BOT_USER_ID, TEAM_ID, conversationObject, paginate, userObject, type FakeChannel, type FakeMessage, type FakeWorkspace } from './fake-slack-state.js';

/** Web API methods of the fake, each answering Slack's shapes and `ok:false` codes. */

type Params = Record<string, unknown>;
type Answer = Record<string, unknown>;
export type FakeMethod = (ws: FakeWorkspace, params: Params) => Answer;

const fail = (error: string, extra: Answer = {}): Answer => ({ ok: false, error, ...extra });

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Resolves `channel` for posting: an id, a name, or a user id (the bot's IM with them). */
function postTarget(ws: FakeWorkspace, channel: string | undefined): FakeChannel | string {
  if (!channel) return 'channel_not_found';
  if (/^[UW][A-Z0-9]+$/.test(channel)) return ws.users.has(channel) ? ws.imWith(channel) : 'channel_not_found';
  const found = ws.findChannel(channel);
  if (!found) return 'channel_not_found';
  if (found.isArchived) return 'is_archived';
  if (!found.members.has(BOT_USER_ID)) return 'not_in_channel';
  return found;
}

function readable(ws: FakeWorkspace, channel: string | undefined): FakeChannel | string {
  const found = channel ? ws.channels.get(channel) : undefined;
  if (!found) return 'channel_not_found';
  if (!found.members.has(BOT_USER_ID)) return 'not_in_channel';
  return found;
}

function parseMetadata(raw: unknown): FakeMessage['metadata'] | string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return 'invalid_metadata_format';
    }
  }
  const m = value as Params;
  if (!m || typeof m !== 'object' || typeof m.event_type !== 'string' || !m.event_payload || typeof m.event_payload !== 'object') {
    return 'invalid_metadata_schema';
  }
  if (JSON.stringify(m).length > 8000) return 'metadata_too_large';
  return { event_type: m.event_type, event_payload: m.event_payload as Record<string, unknown> };
}

/** The message as conversations.history returns it; metadata only when asked for. */
function present(message: FakeMessage, withMetadata: boolean): Answer {
  const { metadata, ...rest } = message;
  return withMetadata && metadata ? { ...rest, metadata } : { ...rest };
}

function checkContent(params: Params): string | undefined {
  const text = str(params.text);
  if (params.blocks !== undefined) {
    const problem = checkBlocks(params.blocks);
    if (problem) return problem;
  } else if (!text || text.trim() === '') {
    return 'no_text';
  }
  if (text && text.length > 40_000) return 'msg_too_long';
  return undefined;
}

const postMessage: FakeMethod = (ws, params) => {
  const channel = postTarget(ws, str(params.channel));
  if (typeof channel === 'string') return fail(channel);
  const problem = checkContent(params);
  if (problem) return fail(problem);
  const metadata = parseMetadata(params.metadata);
  if (typeof metadata === 'string') return fail(metadata);
  const threadTs = str(params.thread_ts);
  if (threadTs && !channel.messages.some((m) => m.ts === threadTs && !m.parent_user_id)) return fail('thread_not_found');
  const message = ws.addMessage(channel, {
    text: str(params.text) ?? '',
    user: BOT_USER_ID,
    bot_id: BOT_ID,
    team: TEAM_ID,
    ...(params.blocks !== undefined ? { blocks: parseBlocks(params.blocks) } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(metadata ? { metadata } : {}),
  });
  return { ok: true, channel: channel.id, ts: message.ts, message: present(message, false) };
};

const update: FakeMethod = (ws, params) => {
  const channel = ws.channels.get(str(params.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const message = channel.messages.find((m) => m.ts === str(params.ts));
  if (!message) return fail('message_not_found');
  if (message.bot_id !== BOT_ID) return fail('cant_update_message');
  const problem = checkContent(params);
  if (problem) return fail(problem);
  const metadata = parseMetadata(params.metadata);
  if (typeof metadata === 'string') return fail(metadata);
  message.text = str(params.text) ?? '';
  if (params.blocks !== undefined) message.blocks = parseBlocks(params.blocks);
  if (metadata) message.metadata = metadata;
  message.edited = { user: BOT_USER_ID, ts: ws.nextTs() };
  return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: present(message, false) };
};

const deleteMessage: FakeMethod = (ws, params) => {
  const channel = ws.channels.get(str(params.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const index = channel.messages.findIndex((m) => m.ts === str(params.ts));
  if (index === -1) return fail('message_not_found');
  if (channel.messages[index].bot_id !== BOT_ID) return fail('cant_delete_message');
  channel.messages.splice(index, 1);
  return { ok: true, channel: channel.id, ts: str(params.ts) };
};

const create: FakeMethod = (ws, params) => {
  const name = str(params.name) ?? '';
  if (name === '') return fail('invalid_name_required');
  if (name.length > 80) return fail('invalid_name_maxlength');
  if (/^[-_]+$/.test(name)) return fail('invalid_name_punctuation');
  if (!/^[a-z0-9_-]+$/.test(name)) return fail('invalid_name_specials');
  if (ws.findChannel(name)) return fail('name_taken');
  const channel = ws.addChannel(name, { isPrivate: bool(params.is_private) });
  return { ok: true, channel: conversationObject(channel) };
};

const list: FakeMethod = (ws, params) => {
  const types = (str(params.types) ?? 'public_channel').split(',');
  const all = [...ws.channels.values()].filter((c) => !c.isIm && (bool(params.exclude_archived) ? !c.isArchived : true) && types.includes(c.isPrivate ? 'private_channel' : 'public_channel'));
  const page = paginate(all, params.cursor, params.limit, ws.pageCap ?? 1000, 100);
  if (page === 'invalid_cursor') return fail('invalid_cursor');
  return { ok: true, channels: page.page.map((c) => conversationObject(c)), response_metadata: { next_cursor: page.next } };
};

const info: FakeMethod = (ws, params) => {
  const channel = ws.channels.get(str(params.channel) ?? '');
  return channel ? { ok: true, channel: conversationObject(channel) } : fail('channel_not_found');
};

const history: FakeMethod = (ws, params) => {
  const channel = readable(ws, str(params.channel));
  if (typeof channel === 'string') return fail(channel);
  const oldest = Number(str(params.oldest) ?? '0');
  const latest = params.latest === undefined ? Infinity : Number(str(params.latest));
  if (Number.isNaN(oldest)) return fail('invalid_ts_oldest');
  if (Number.isNaN(latest)) return fail('invalid_ts_latest');
  const inclusive = bool(params.inclusive);
  const top = channel.messages
    .filter((m) => !m.parent_user_id || m.subtype === 'thread_broadcast')
    .filter((m) => {
      const t = Number(m.ts);
      return (inclusive ? t >= oldest : t > oldest) && (inclusive ? t <= latest : t < latest);
    })
    .reverse(); // newest first, as Slack returns them
  const page = paginate(top, params.cursor, params.limit, ws.pageCap ?? 999, 100);
  if (page === 'invalid_cursor') return fail('invalid_cursor');
  const withMetadata = bool(params.include_all_metadata);
  return {
    ok: true,
    messages: page.page.map((m) => present(m, withMetadata)),
    has_more: page.next !== '',
    pin_count: channel.pins.size,
    response_metadata: { next_cursor: page.next },
  };
};

const replies: FakeMethod = (ws, params) => {
  const channel = readable(ws, str(params.channel));
  if (typeof channel === 'string') return fail(channel);
  const ts = str(params.ts);
  const anchor = channel.messages.find((m) => m.ts === ts);
  if (!anchor) return fail('thread_not_found');
  const parentTs = anchor.thread_ts ?? anchor.ts;
  const thread = channel.messages.filter((m) => m.ts === parentTs || m.thread_ts === parentTs);
  const page = paginate(thread, params.cursor, params.limit, ws.pageCap ?? 1000, 1000);
  if (page === 'invalid_cursor') return fail('invalid_cursor');
  const withMetadata = bool(params.include_all_metadata);
  return { ok: true, messages: page.page.map((m) => present(m, withMetadata)), has_more: page.next !== '', response_metadata: { next_cursor: page.next } };
};

const open: FakeMethod = (ws, params) => {
  const users = (str(params.users) ?? '').split(',').filter(Boolean);
  if (users.length === 0) return fail('users_list_not_supplied');
  if (users.length > 1) return fail('not_implemented'); // group DMs are not used by Sidekick
  if (!ws.users.has(users[0])) return fail('user_not_found');
  return { ok: true, channel: { id: ws.imWith(users[0]).id } };
};

const invite: FakeMethod = (ws, params) => {
  const channel = ws.channels.get(str(params.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  if (!channel.members.has(BOT_USER_ID)) return fail('not_in_channel');
  const users = (str(params.users) ?? '').split(',').filter(Boolean);
  if (users.length === 0) return fail('no_user');
  if (users.length > 100) return fail('too_many_users');
  const errors: Answer[] = [];
  const valid: string[] = [];
  for (const user of users) {
    const error = user === BOT_USER_ID ? 'cant_invite_self' : !ws.users.has(user) ? 'user_not_found' : channel.members.has(user) ? 'already_in_channel' : undefined;
    if (error) errors.push({ user, ok: false, error });
    else valid.push(user);
  }
  if (errors.length === 0 || bool(params.force)) valid.forEach((u) => channel.members.add(u));
  if (errors.length > 0) return fail(String(errors[0].error), { errors });
  return { ok: true, channel: conversationObject(channel) };
};

const setTopic: FakeMethod = (ws, params) => {
  const channel = ws.channels.get(str(params.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  if (!channel.members.has(BOT_USER_ID)) return fail('not_in_channel');
  const topic = str(params.topic) ?? '';
  if (topic.length > 250) return fail('too_long');
  channel.topic = topic;
  // Slack announces the change in the channel as a `channel_topic` message by whoever set it.
  channel.messages.push({ type: 'message', subtype: 'channel_topic', ts: ws.nextTs(), user: BOT_USER_ID, text: `set the channel topic: ${topic}`, team: TEAM_ID });
  return { ok: true, channel: conversationObject(channel) };
};

const usersInfo: FakeMethod = (ws, params) => {
  const user = ws.users.get(str(params.user) ?? '');
  return user ? { ok: true, user: userObject(user) } : fail('user_not_found');
};

const usersList: FakeMethod = (ws, params) => {
  const page = paginate([...ws.users.values()], params.cursor, params.limit, ws.pageCap ?? 1000, 100);
  if (page === 'invalid_cursor') return fail('invalid_cursor');
  return { ok: true, members: page.page.map(userObject), cache_ts: Math.floor(Date.now() / 1000), response_metadata: { next_cursor: page.next } };
};

const lookupByEmail: FakeMethod = (ws, params) => {
  const email = str(params.email)?.toLowerCase();
  const user = [...ws.users.values()].find((u) => u.email?.toLowerCase() === email);
  return user ? { ok: true, user: userObject(user) } : fail('users_not_found');
};

const userGroupUsers: FakeMethod = (ws, params) => {
  const users = ws.userGroups.get(str(params.usergroup) ?? '');
  return users ? { ok: true, users } : fail('no_such_subteam');
};

const bookmarksAdd: FakeMethod = (ws, params) => {
  const channel = ws.channels.get(str(params.channel_id) ?? '');
  if (!channel) return fail('channel_not_found');
  if (str(params.type) !== 'link') return fail('invalid_bookmark_type');
  const link = str(params.link);
  if (!link || !/^https?:\/\//.test(link)) return fail('invalid_link');
  const bookmark = { id: ws.nextId('Bk'), title: str(params.title) ?? '', link };
  channel.bookmarks.push(bookmark);
  return { ok: true, bookmark: { ...bookmark, channel_id: channel.id, type: 'link', emoji: str(params.emoji) ?? null, date_created: Math.floor(Date.now() / 1000), date_updated: 0, rank: 'g' } };
};

const pinsAdd: FakeMethod = (ws, params) => {
  const channel = ws.channels.get(str(params.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  if (!channel.members.has(BOT_USER_ID)) return fail('not_in_channel');
  const ts = str(params.timestamp);
  if (!ts) return fail('no_item_specified');
  if (!channel.messages.some((m) => m.ts === ts)) return fail('message_not_found');
  if (channel.pins.has(ts)) return fail('already_pinned');
  channel.pins.add(ts);
  return { ok: true };
};

const authTest: FakeMethod = () => ({
  ok: true,
  url: 'https://fake-workspace.slack.com/',
  team: 'Fake Workspace',
  user: 'sidekick',
  team_id: TEAM_ID,
  user_id: BOT_USER_ID,
  bot_id: BOT_ID,
  is_enterprise_install: false,
});

export const FAKE_METHODS: Record<string, FakeMethod> = {
  'auth.test': authTest,
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': deleteMessage,
  'conversations.create': create,
  'conversations.list': list,
  'conversations.info': info,
  'conversations.history': history,
  'conversations.replies': replies,
  'conversations.open': open,
  'conversations.invite': invite,
  'conversations.setTopic': setTopic,
  'users.info': usersInfo,
  'users.list': usersList,
  'users.lookupByEmail': lookupByEmail,
  'usergroups.users.list': userGroupUsers,
  'bookmarks.add': bookmarksAdd,
  'pins.add': pinsAdd,
};
