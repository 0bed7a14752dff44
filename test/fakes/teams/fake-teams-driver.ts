import type { FakeTeams } from './fake-teams.js';
import type { FakeTeamsUser, FakeTeamsMessage } from './fake-teams-state.js';

/**
 * Plays the Teams channel towards the bot: people speaking in channels (stored, so Graph returns
 * them later), @mentions, and card button clicks, each POSTed to the bot's messaging endpoint with
 * a token signed by the fake's key.
 */
export class TeamsChannelDriver {
  constructor(
    private readonly fake: FakeTeams,
    private readonly endpoint: string,
  ) {}

  /** POSTs one activity; `token` replaces the valid signed one (forged, expired, none: ''). */
  async send(activity: Record<string, unknown>, token?: string): Promise<{ status: number; body: any }> {
    const bearer = token ?? (await this.fake.sign());
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ channelId: 'msteams', serviceUrl: this.fake.serviceUrl, timestamp: new Date().toISOString(), ...activity }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** A person writes in a channel (a new thread, or a reply under `replyTo`). */
  async userSays(channelId: string, user: FakeTeamsUser, text: string, options: { replyTo?: string; mentionBot?: boolean } = {}) {
    const channel = this.fake.tenant.channels.get(channelId)!;
    const at = new Date().toISOString();
    const html = options.mentionBot ? `<p><at id="0">Sidekick</at> ${escape(text)}</p>` : `<p>${escape(text)}</p>`;
    const message: FakeTeamsMessage = {
      id: this.fake.tenant.nextMessageId(),
      replyToId: options.replyTo ?? null,
      from: { user: { id: user.aadObjectId, displayName: user.name } },
      html,
      createdDateTime: at,
      lastModifiedDateTime: at,
    };
    channel.messages.push(message);
    const root = options.replyTo ?? message.id;
    const response = await this.send({
      type: 'message',
      id: message.id,
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: `28:${this.fake.appId}`, name: 'Sidekick' },
      conversation: { isGroup: true, conversationType: 'channel', tenantId: this.fake.tenant.tenantId, id: `${channelId};messageid=${root}` },
      // Teams sends what people type as HTML: a literal `<` arrives as `&lt;`.
      text: options.mentionBot ? `<at>Sidekick</at> ${escape(text)}` : escape(text),
      textFormat: 'plain',
      ...(options.mentionBot ? { entities: [{ type: 'mention', text: '<at>Sidekick</at>', mentioned: { id: `28:${this.fake.appId}`, name: 'Sidekick' } }] } : {}),
      channelData: { teamsChannelId: channelId, channel: { id: channelId }, team: { id: this.fake.tenant.teamId }, tenant: { id: this.fake.tenant.tenantId } },
    });
    return { message, response };
  }

  /**
   * Clicks the button titled `label` on a card the bot posted: an `adaptiveCard/action` invoke
   * carrying the button's verb and data, as Teams sends for `Action.Execute`.
   */
  async click(channelOrChat: string, message: FakeTeamsMessage, user: FakeTeamsUser, label: string | RegExp, token?: string) {
    const action = findAction(message, label);
    if (!action) throw new Error(`no button ${String(label)} on message ${message.id}`);
    const root = message.replyToId ?? message.id;
    const isChannel = channelOrChat.startsWith('19:');
    return this.send(
      {
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: `f:${message.id}${Date.now()}`,
        replyToId: message.id,
        from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
        recipient: { id: `28:${this.fake.appId}`, name: 'Sidekick' },
        conversation: isChannel
          ? { isGroup: true, conversationType: 'channel', tenantId: this.fake.tenant.tenantId, id: `${channelOrChat};messageid=${root}` }
          : { conversationType: 'personal', tenantId: this.fake.tenant.tenantId, id: channelOrChat },
        value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data }, trigger: 'manual' },
        ...(isChannel ? { channelData: { channel: { id: channelOrChat }, tenant: { id: this.fake.tenant.tenantId } } } : {}),
      },
      token,
    );
  }
}

/** Every Action.Execute of a message's cards. */
export function cardActions(message: FakeTeamsMessage): { title: string; verb: string; data: unknown }[] {
  const found: { title: string; verb: string; data: unknown }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute') found.push(record as never);
    Object.values(record).forEach(walk);
  };
  walk(message.activity?.attachments);
  return found;
}

function findAction(message: FakeTeamsMessage, label: string | RegExp) {
  return cardActions(message).find((a) => (typeof label === 'string' ? a.title === label : label.test(a.title)));
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
