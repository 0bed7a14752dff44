import { createHmac, randomBytes } from 'node:crypto';
import type { FakeSlack } from './fake-slack.js';
import { BOT_USER_ID, TEAM_ID, type FakeMessage } from './fake-slack-state.js';

/**
 * Drives an app the way Slack does in HTTP mode: signed `event_callback` JSON, slash commands and
 * `block_actions` as form posts (content type exactly `application/x-www-form-urlencoded`).
 */

export interface DriverResponse {
  status: number;
  body: string;
  headers: Headers;
}

export class SlackAppDriver {
  private events = 0;

  constructor(
    private readonly fake: FakeSlack,
    /** HTTP mode: the app's URL and signing secret. Socket Mode: `socket: true` (through the fake's WebSocket). */
    private readonly app: { url: string; signingSecret: string; now?: () => number; socket?: false } | { socket: true },
  ) {}

  /** Delivers a request in whichever mode the app runs: a signed POST, or a Socket Mode envelope. */
  private async deliver(
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: Record<string, unknown>,
    http: { body: string; contentType: string },
    options: { headers?: Record<string, string>; secret?: string; timestamp?: number; retryNum?: number } = {},
  ): Promise<DriverResponse> {
    if (this.app.socket) {
      const ack = await this.fake.sendEnvelope(type, payload, options.retryNum ?? 0);
      return { status: 200, body: JSON.stringify(ack ?? {}), headers: new Headers() };
    }
    return this.send(http.body, http.contentType, options);
  }

  /** POSTs a body signed like Slack; `sign` overrides what goes into the signature headers. */
  async send(body: string, contentType: string, options: { headers?: Record<string, string>; timestamp?: number; secret?: string; signature?: string } = {}): Promise<DriverResponse> {
    if (this.app.socket) throw new Error('send() is for HTTP mode');
    const timestamp = String(options.timestamp ?? Math.floor((this.app.now?.() ?? Date.now()) / 1000));
    const signature =
      options.signature ??
      `v0=${createHmac('sha256', options.secret ?? this.app.signingSecret)
        .update(`v0:${timestamp}:${body}`)
        .digest('hex')}`;
    const response = await fetch(this.app.url, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature, ...options.headers },
      body,
    });
    return { status: response.status, body: await response.text(), headers: response.headers };
  }

  /** Sends an `event_callback` envelope around `event`. */
  async event(event: Record<string, unknown>, options: { eventId?: string; retryNum?: number; secret?: string; timestamp?: number } = {}): Promise<DriverResponse> {
    this.events += 1;
    const envelope = {
      token: 'legacy-verification-token',
      team_id: TEAM_ID,
      context_team_id: TEAM_ID,
      context_enterprise_id: null,
      api_app_id: 'A0FAKEAPP',
      event: { event_ts: event.ts ?? '1767240000.000000', ...event },
      type: 'event_callback',
      event_id: options.eventId ?? `Ev${String(this.events).padStart(8, '0')}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: '4-eyJldCI6Im1lc3NhZ2UifQ',
    };
    const headers: Record<string, string> = {};
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    return this.deliver(
      'events_api',
      envelope,
      { body: JSON.stringify(envelope), contentType: 'application/json' },
      {
        headers,
        secret: options.secret,
        timestamp: options.timestamp,
        retryNum: options.retryNum,
      },
    );
  }

  /** A person writes in a channel (or a thread): the fake stores it and Slack sends the event. */
  async userSays(channel: string, user: string, text: string, options: { threadTs?: string } = {}): Promise<{ message: FakeMessage; response: DriverResponse }> {
    const target = this.fake.workspace.channels.get(channel);
    if (!target) throw new Error(`no channel ${channel} in the fake`);
    const message = this.fake.workspace.addMessage(target, { text, user, team: TEAM_ID, ...(options.threadTs ? { thread_ts: options.threadTs } : {}) });
    const response = await this.event({
      type: 'message',
      channel,
      user,
      text,
      ts: message.ts,
      channel_type: target.isIm ? 'im' : target.isPrivate ? 'group' : 'channel',
      ...(options.threadTs ? { thread_ts: options.threadTs, parent_user_id: message.parent_user_id } : {}),
      client_msg_id: randomBytes(8).toString('hex'),
    });
    return { message, response };
  }

  /** A person edits their message: `message_changed` with the new and previous message. */
  async userEdits(channel: string, ts: string, text: string): Promise<DriverResponse> {
    const message = this.fake.workspace.channels.get(channel)?.messages.find((m) => m.ts === ts);
    if (!message) throw new Error(`no message ${ts}`);
    const previous = { ...message };
    message.text = text;
    message.edited = { user: message.user ?? '', ts: this.fake.workspace.nextTs() };
    return this.event({ type: 'message', subtype: 'message_changed', channel, hidden: true, ts: message.edited.ts, message: { ...message }, previous_message: previous });
  }

  /** A person deletes their message: `message_deleted`. */
  async userDeletes(channel: string, ts: string): Promise<DriverResponse> {
    const target = this.fake.workspace.channels.get(channel);
    const index = target?.messages.findIndex((m) => m.ts === ts) ?? -1;
    if (!target || index === -1) throw new Error(`no message ${ts}`);
    const [previous] = target.messages.splice(index, 1);
    return this.event({ type: 'message', subtype: 'message_deleted', channel, hidden: true, ts: this.fake.workspace.nextTs(), deleted_ts: ts, previous_message: previous });
  }

  /**
   * `user` adds (or removes) an emoji reaction on a message: the fake keeps it on the message and
   * Slack sends `reaction_added` / `reaction_removed`, which carry no message text.
   */
  async userReacts(channel: string, ts: string, user: string, reaction: string, options: { removed?: boolean; eventId?: string } = {}): Promise<DriverResponse> {
    const message = this.fake.workspace.channels.get(channel)?.messages.find((m) => m.ts === ts);
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    const reactions = (message.reactions ??= []);
    let entry = reactions.find((r) => r.name === reaction);
    if (!options.removed) {
      if (!entry) reactions.push((entry = { name: reaction, users: [], count: 0 }));
      if (!entry.users.includes(user)) entry.users.push(user);
    } else if (entry) {
      entry.users = entry.users.filter((u) => u !== user);
      if (entry.users.length === 0) reactions.splice(reactions.indexOf(entry), 1);
    }
    if (entry) entry.count = entry.users.length;
    const eventTs = this.fake.workspace.nextTs();
    return this.event(
      {
        type: options.removed ? 'reaction_removed' : 'reaction_added',
        user,
        reaction,
        ...(message.user ? { item_user: message.user } : {}),
        item: { type: 'message', channel, ts },
        event_ts: eventTs,
        ts: eventTs,
      },
      { eventId: options.eventId },
    );
  }

  /** `user` picks a message shortcut ("More actions" on a message): a `message_action` payload with the message. */
  async messageShortcut(channel: string, ts: string, user: string, callbackId: string, ids: { triggerId?: string } = {}): Promise<DriverResponse> {
    const target = this.fake.workspace.channels.get(channel);
    const message = target?.messages.find((m) => m.ts === ts);
    if (!target || !message) throw new Error(`no message ${ts} in ${channel}`);
    const person = this.fake.workspace.users.get(user);
    const payload = {
      type: 'message_action',
      token: 'legacy-verification-token',
      action_ts: this.fake.workspace.nextTs(),
      team: { id: TEAM_ID, domain: 'fake-workspace' },
      user: { id: user, name: person?.name, username: person?.name, team_id: TEAM_ID },
      channel: { id: channel, name: target.name },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: callbackId,
      trigger_id: ids.triggerId ?? `${Date.now()}.${randomBytes(4).toString('hex')}`,
      response_url: this.fake.responseUrl(`shortcut-${ts}`),
      message_ts: ts,
      message: { ...message },
    };
    return this.deliver('interactive', payload, {
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
  }

  /** `/sidekick <text>` typed by `user` in `channel`. */
  async slashCommand(text: string, options: { user: string; channel: string; command?: string }): Promise<DriverResponse> {
    return this.deliverSlashCommand(this.slashCommandForm(text, options));
  }

  /**
   * Delivers a slash command's form as it is, so a test can send the very same signed request again
   * (an attacker's replay, or Slack's retry): same body, same `timestamp` when given.
   */
  async deliverSlashCommand(form: URLSearchParams, options: { timestamp?: number; retryNum?: number } = {}): Promise<DriverResponse> {
    return this.deliver('slash_commands', Object.fromEntries(form), { body: form.toString(), contentType: 'application/x-www-form-urlencoded' }, options);
  }

  /** The form Slack posts for `/sidekick <text>` typed by `user` in `channel`, with a fresh trigger_id. */
  slashCommandForm(text: string, options: { user: string; channel: string; command?: string }): URLSearchParams {
    const user = this.fake.workspace.users.get(options.user);
    const channel = this.fake.workspace.channels.get(options.channel);
    const id = randomBytes(6).toString('hex');
    return new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: TEAM_ID,
      team_domain: 'fake-workspace',
      channel_id: options.channel,
      channel_name: channel?.name ?? 'unknown',
      user_id: options.user,
      user_name: user?.name ?? 'unknown',
      command: options.command ?? '/sidekick',
      text,
      api_app_id: 'A0FAKEAPP',
      is_enterprise_install: 'false',
      response_url: this.fake.responseUrl(id),
      trigger_id: `${Date.now()}.${id}`,
    });
  }

  /**
   * `user` clicks a button of a message the bot posted, found by its label (or its value), exactly
   * as stored in the fake: what Slack would send is what the app gets.
   */
  async click(
    channel: string,
    ts: string,
    user: string,
    which: { label?: string; value?: string },
    /** Fixed ids make the very same payload again: a replayed or retried click. */
    ids: { actionTs?: string; triggerId?: string } = {},
  ): Promise<DriverResponse> {
    const message = this.fake.workspace.channels.get(channel)?.messages.find((m) => m.ts === ts);
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    for (const block of (message.blocks ?? []) as { type: string; block_id?: string; elements?: Record<string, unknown>[] }[]) {
      if (block.type !== 'actions') continue;
      const button = block.elements?.find((e) => (which.label !== undefined && (e.text as { text: string }).text === which.label) || (which.value !== undefined && e.value === which.value));
      if (!button) continue;
      const person = this.fake.workspace.users.get(user);
      const payload = {
        type: 'block_actions',
        user: { id: user, username: person?.name, name: person?.name, team_id: TEAM_ID },
        api_app_id: 'A0FAKEAPP',
        token: 'legacy-verification-token',
        container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
        trigger_id: ids.triggerId ?? `${Date.now()}.fake`,
        team: { id: TEAM_ID, domain: 'fake-workspace' },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: channel, name: this.fake.workspace.channels.get(channel)?.name },
        message: { ...message },
        state: { values: {} },
        response_url: this.fake.responseUrl(`click-${ts}`),
        actions: [{ ...button, block_id: block.block_id ?? 'b1', action_ts: ids.actionTs ?? this.fake.workspace.nextTs() }],
      };
      return this.deliver('interactive', payload, {
        body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
    }
    throw new Error(`no button ${JSON.stringify(which)} on message ${ts}`);
  }
}
