import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { FakeTenant, type FakeChannel, type FakeTeamsMessage } from './fake-teams-state.js';

/**
 * A fake Microsoft side of a Teams bot on 127.0.0.1, as integrations-2.md §1.12 describes it:
 * the Entra token endpoint (client credentials), the Bot Framework OpenID metadata and JWKS (with
 * a key the tests sign activities with), the Bot Connector (`/bot/v3/…`) and the Graph routes
 * Sidekick uses (`/graph/v1.0/…`), with Microsoft's error bodies, per-thread rate limits answered
 * with 429 + Retry-After, the 40 KB message limit and Adaptive Card 1.5.
 */
export interface FakeTeamsOptions {
  appId?: string;
  appPassword?: string;
  /** Per-thread send windows [count, seconds] (Teams: 7/1 s, 8/2 s, 60/30 s, 1800/h). */
  sendWindows?: [number, number][];
}

export interface LoggedTeamsRequest {
  method: string;
  path: string;
  body: any;
  status: number;
}

interface Fault {
  match: RegExp;
  status: number;
  code: string;
  times: number;
  retryAfter?: number;
  /** Apply the request, then answer the error: the answer is lost but the effect happened. */
  afterApplying?: boolean;
}

export const ISSUER = 'https://api.botframework.test';
const CARD = 'application/vnd.microsoft.card.adaptive';

export class FakeTeams {
  readonly tenant = new FakeTenant();
  readonly requests: LoggedTeamsRequest[] = [];
  readonly appId: string;
  readonly appPassword: string;
  readonly kid = 'fake-key-1';
  private readonly server: Server;
  private readonly tokens = new Map<string, string>();
  private readonly sends = new Map<string, number[]>();
  private readonly windows: [number, number][];
  private faults: Fault[] = [];
  private port = 0;
  private privateKey!: CryptoKey;
  private publicJwk!: JWK;

  constructor(options: FakeTeamsOptions = {}) {
    this.appId = options.appId ?? randomUUID();
    this.appPassword = options.appPassword ?? `secret~${randomBytes(12).toString('hex')}`;
    this.windows = options.sendWindows ?? [
      [7, 1],
      [8, 2],
      [60, 30],
      [1800, 3600],
    ];
    this.server = createServer((req, res) => void this.route(req, res));
  }

  async start(): Promise<this> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    this.privateKey = privateKey;
    this.publicJwk = { ...(await exportJWK(publicKey)), kid: this.kid, use: 'sig', alg: 'RS256' };
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get serviceUrl(): string {
    return `${this.url}/bot/`;
  }
  get graphUrl(): string {
    return `${this.url}/graph/v1.0`;
  }
  get openIdMetadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  /** The TEAMS_* variables that point Sidekick at this fake. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      TEAMS_APP_ID: this.appId,
      TEAMS_APP_PASSWORD: this.appPassword,
      TEAMS_TENANT_ID: this.tenant.tenantId,
      TEAMS_TEAM_ID: this.tenant.teamId,
      MICROSOFT_LOGIN_URL: this.url,
      TEAMS_OPENID_METADATA_URL: this.openIdMetadataUrl,
      TEAMS_SERVICE_URL: this.serviceUrl,
      GRAPH_API_URL: this.graphUrl,
      ...extra,
    };
  }

  /** A token as the Bot Framework channel signs it; `claims` and `options` make bad ones. */
  async sign(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; kid?: string; expiresInSeconds?: number } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ serviceurl: this.serviceUrl, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? this.kid, typ: 'JWT' })
      .setIssuer((claims.iss as string) ?? ISSUER)
      .setAudience((claims.aud as string) ?? this.appId)
      .setIssuedAt(now - 10)
      .setNotBefore(now - 10)
      .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
      .sign(options.key ?? this.privateKey);
  }

  /** The next `times` requests matching `match` ("POST /bot/v3/…") fail with this status and code. */
  fail(match: RegExp, status: number, code: string, times = 1, retryAfter?: number, afterApplying = false): void {
    this.faults.push({ match, status, code, times, retryAfter, afterApplying });
  }

  clearFaults(): void {
    this.faults = [];
  }

  calls(match: RegExp): LoggedTeamsRequest[] {
    return this.requests.filter((r) => match.test(`${r.method} ${r.path}`));
  }

  /** Messages the bot posted in a channel (roots and replies). */
  botMessages(channelId: string): FakeTeamsMessage[] {
    return (this.tenant.channels.get(channelId)?.messages ?? []).filter((m) => m.from.application);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => resolve(data));
    });
    let body: any = {};
    if (raw && String(req.headers['content-type']).includes('json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        return this.send(req, res, url, body, 400, { error: { code: 'BadArgument', message: 'the body is not JSON' } });
      }
    } else if (raw) body = Object.fromEntries(new URLSearchParams(raw));
    const [status, answer, headers] = this.answer(req.method ?? 'GET', url, body, raw, req.headers.authorization);
    this.send(req, res, url, body, status, answer, headers);
  }

  private send(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown, status: number, answer: unknown, headers: Record<string, string> = {}): void {
    this.requests.push({ method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), body, status });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(answer === undefined ? '' : JSON.stringify(answer));
  }

  private answer(method: string, url: URL, body: any, raw: string, authorization?: string): [number, unknown, Record<string, string>?] {
    const path = url.pathname;
    const line = `${method} ${decodeURIComponent(path)}`;
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(line));
    if (fault) {
      fault.times -= 1;
      if (fault.afterApplying) {
        const faultless = this.faults;
        this.faults = [];
        this.answer(method, url, body, raw, authorization);
        this.faults = faultless;
      }
      return [fault.status, { error: { code: fault.code, message: `injected ${fault.code}` } }, fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}];
    }
    if (method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
      return [200, { issuer: ISSUER, jwks_uri: `${this.url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] }];
    }
    if (method === 'GET' && path === '/v1/.well-known/keys') return [200, { keys: [{ ...this.publicJwk, endorsements: ['msteams'] }] }];
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (method === 'POST' && token) return this.issueToken(decodeURIComponent(token[1]), body);

    const bearer = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    const scope = bearer ? this.tokens.get(bearer) : undefined;
    if (path.startsWith('/bot/')) {
      if (scope !== 'https://api.botframework.com/.default') return [401, { message: 'Authorization has been denied for this request.' }];
      return this.botConnector(method, decodeURIComponent(path.slice('/bot'.length)), body, raw);
    }
    if (path.startsWith('/graph/v1.0/')) {
      if (scope !== 'https://graph.microsoft.com/.default') return [401, graphError('InvalidAuthenticationToken', 'Access token is empty or invalid.')];
      return this.graph(method, path.slice('/graph/v1.0'.length), url.searchParams, body);
    }
    return [404, { error: { code: 'NotFound', message: `no route ${line}` } }];
  }

  private issueToken(tenant: string, form: Record<string, string>): [number, unknown] {
    if (tenant !== this.tenant.tenantId) return [400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${tenant}' not found.`, error_codes: [90002] }];
    if (form.grant_type !== 'client_credentials') return [400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003' }];
    if (form.client_id !== this.appId || form.client_secret !== this.appPassword) {
      return [401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] }];
    }
    if (form.scope !== 'https://api.botframework.com/.default' && form.scope !== 'https://graph.microsoft.com/.default') {
      return [400, { error: 'invalid_scope', error_description: 'AADSTS70011: The provided value for scope is not valid.' }];
    }
    const accessToken = `eyJfake.${randomBytes(16).toString('hex')}`;
    this.tokens.set(accessToken, form.scope);
    return [200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken }];
  }

  private botConnector(method: string, path: string, body: any, raw: string): [number, unknown, Record<string, string>?] {
    if (method === 'POST' && path === '/v3/conversations') {
      if (body.isGroup && body.channelData?.channel?.id) {
        const channel = this.tenant.channels.get(body.channelData.channel.id);
        if (!channel) return [404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } }];
        const refused = this.checkSend(channel.id, body.activity, JSON.stringify(body.activity ?? {}));
        if (refused) return refused;
        const message = this.addBotMessage(channel.messages, body.activity, null);
        return [201, { id: `${channel.id};messageid=${message.id}`, activityId: message.id, serviceUrl: this.serviceUrl }];
      }
      const member = this.tenant.users.get(body.members?.[0]?.id);
      if (!member) return [400, { error: { code: 'BadArgument', message: 'Invalid user identity in provided tenant' } }];
      if (!member.installed) return [403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } }];
      const existing = this.tenant.chatWith(member.id);
      if (existing) return [200, { id: existing.id }];
      const chat = { id: `a:1${randomBytes(20).toString('base64url')}`, userId: member.id, messages: [] };
      this.tenant.chats.set(chat.id, chat);
      return [201, { id: chat.id }];
    }
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!match) return [404, { error: { code: 'NotFound', message: `no route ${method} ${path}` } }];
    const [conversation, activityId] = [match[1], match[2]];
    const [threadId, root] = conversation.split(';messageid=');
    const channel: FakeChannel | undefined = this.tenant.channels.get(threadId);
    const messages = channel?.messages ?? this.tenant.chats.get(threadId)?.messages;
    if (!messages) return [404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } }];
    if (method === 'POST') {
      if (channel && (!root || !messages.some((m) => m.id === root))) return [404, { error: { code: 'ConversationNotFound', message: 'Thread not found.' } }];
      const refused = this.checkSend(threadId, body, raw);
      if (refused) return refused;
      const message = this.addBotMessage(messages, body, channel ? root : null);
      return [201, { id: message.id }];
    }
    if (method === 'PUT' && activityId) {
      const target = messages.find((m) => m.id === activityId);
      if (!target || !target.from.application) return [404, { error: { code: 'ActivityNotFound', message: 'Activity not found.' } }];
      const refused = this.checkSend(threadId, body, raw, false);
      if (refused) return refused;
      target.activity = body;
      target.html = String(body.text ?? body.summary ?? '');
      target.lastModifiedDateTime = new Date().toISOString();
      return [200, { id: activityId }];
    }
    return [405, { error: { code: 'MethodNotAllowed', message: method } }];
  }

  /** The size, card and rate checks of a send; undefined when it may go through. */
  private checkSend(thread: string, activity: any, raw: string, counts = true): [number, unknown, Record<string, string>?] | undefined {
    if (!activity || activity.type !== 'message') return [400, { error: { code: 'BadArgument', message: 'Activity type must be message' } }];
    // Teams counts the payload as UTF-16: two bytes a character.
    if (raw.length * 2 > 40 * 1024) return [413, { error: { code: 'MessageSizeTooBig', message: 'Message size too big' } }];
    for (const attachment of activity.attachments ?? []) {
      if (attachment.contentType !== CARD) continue;
      const version = Number(attachment.content?.version);
      if (attachment.content?.type !== 'AdaptiveCard' || !(version <= 1.5)) return [400, { error: { code: 'BadArgument', message: `Unsupported card version ${attachment.content?.version}` } }];
    }
    if (!counts) return undefined;
    const now = Date.now();
    const sent = (this.sends.get(thread) ?? []).filter((t) => t > now - 3600_000);
    for (const [count, seconds] of this.windows) {
      const inWindow = sent.filter((t) => t > now - seconds * 1000);
      if (inWindow.length >= count) {
        const retryAfter = Math.max(1, Math.ceil((inWindow[0] + seconds * 1000 - now) / 1000));
        return [429, { error: { code: 'Throttled', message: 'Too many requests. Retry after some time.' } }, { 'retry-after': String(retryAfter) }];
      }
    }
    sent.push(now);
    this.sends.set(thread, sent);
    return undefined;
  }

  private addBotMessage(messages: FakeTeamsMessage[], activity: any, replyToId: string | null): FakeTeamsMessage {
    const at = new Date().toISOString();
    const message = {
      id: this.tenant.nextMessageId(),
      replyToId,
      from: { application: { id: this.appId, displayName: 'Sidekick' } },
      html: String(activity.text ?? activity.summary ?? ''),
      activity,
      createdDateTime: at,
      lastModifiedDateTime: at,
    };
    messages.push(message);
    return message;
  }

  private graph(method: string, path: string, query: URLSearchParams, body: any): [number, unknown, Record<string, string>?] {
    const teamPrefix = `/teams/${encodeURIComponent(this.tenant.teamId)}`;
    const meetings = /^\/users\/([^/]+)\/onlineMeetings$/.exec(path);
    if (meetings && method === 'POST') return this.createMeeting(decodeURIComponent(meetings[1]), body);
    if (!path.startsWith(teamPrefix)) return [404, graphError('NotFound', 'No team found with Group Id')];
    const rest = path.slice(teamPrefix.length);
    if (rest === '/channels' && method === 'GET') return [200, { '@odata.count': this.tenant.channels.size, value: [...this.tenant.channels.values()].map(channelJson) }];
    if (rest === '/channels' && method === 'POST') {
      const name = typeof body.displayName === 'string' ? body.displayName : '';
      if (!name || name.length > 50 || /[~#%&*{}+/\\:<>?|'"]/.test(name)) return [400, graphError('BadRequest', 'Channel name is invalid or too long.')];
      if (this.tenant.findChannel(name)) return [409, graphError('NameAlreadyExists', `Channel name already existed, please use other name.`)];
      return [
        201,
        { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#teams('${this.tenant.teamId}')/channels/$entity`, ...channelJson(this.tenant.addChannel(name, body.description ?? '')) },
      ];
    }
    // PATCH a channel (Graph "Update channel"): 204 No Content; the description is at most 1024 characters.
    const one = /^\/channels\/([^/]+)$/.exec(rest);
    if (one && method === 'PATCH') {
      const channel = this.tenant.channels.get(decodeURIComponent(one[1]));
      if (!channel) return [404, graphError('NotFound', 'Channel not found')];
      if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 1024)) {
        return [400, graphError('BadRequest', 'Invalid value for property description: it is limited to 1024 characters.')];
      }
      if (body.displayName !== undefined) return [400, graphError('BadRequest', 'Renaming a channel is not supported by this fake.')];
      if (typeof body.description === 'string') channel.description = body.description;
      return [204, undefined];
    }
    const list = /^\/channels\/([^/]+)\/messages(?:\/([^/]+)\/replies)?$/.exec(rest);
    if (list && method === 'GET') {
      const channel = this.tenant.channels.get(decodeURIComponent(list[1]));
      if (!channel) return [404, graphError('NotFound', 'Channel not found')];
      const top = Number(query.get('$top') ?? 20);
      if (!Number.isInteger(top) || top < 1 || top > 50) return [400, graphError('BadRequest', 'Invalid page size requested. Page size should be between 1 and 50.')];
      const parent = list[2] ? decodeURIComponent(list[2]) : null;
      const all = channel.messages.filter((m) => m.replyToId === parent);
      // Graph lists newest first; the skip token is an offset here.
      all.sort((a, b) => b.id.localeCompare(a.id));
      const skip = Number(query.get('$skiptoken') ?? 0);
      const page = all.slice(skip, skip + top);
      const next = skip + top < all.length ? `${this.graphUrl}${teamPrefix}${rest}?$top=${top}&$skiptoken=${skip + top}` : undefined;
      return [200, { '@odata.count': page.length, ...(next ? { '@odata.nextLink': next } : {}), value: page.map((m) => messageJson(m, this.tenant.teamId, channel.id)) }];
    }
    return [404, graphError('NotFound', `Resource not found for the segment '${rest.split('/')[1] ?? ''}'.`)];
  }

  private createMeeting(organizer: string, body: any): [number, unknown] {
    if (!this.tenant.meetingPolicy.has(organizer)) {
      return [403, graphError('Forbidden', 'Application is not allowed to perform operations on the user, neither is allowed access through RSC permission evaluation.')];
    }
    if (typeof body.subject !== 'string') return [400, graphError('BadRequest', 'subject is required')];
    const id = `MSp${randomBytes(12).toString('base64url')}`;
    const meeting = {
      id,
      subject: body.subject,
      startDateTime: body.startDateTime,
      endDateTime: body.endDateTime,
      joinWebUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${id}%40thread.v2/0?context=%7b%22Tid%22%3a%22${this.tenant.tenantId}%22%7d`,
      joinMeetingIdSettings: { joinMeetingId: String(Math.floor(Math.random() * 1e12)), passcode: 'abc123' },
      chatInfo: { threadId: `19:meeting_${id}@thread.v2` },
      participants: { organizer: { identity: { user: { id: organizer } } } },
    };
    this.tenant.meetings.push(meeting);
    return [201, meeting];
  }
}

export async function startFakeTeams(options: FakeTeamsOptions = {}): Promise<FakeTeams> {
  return new FakeTeams(options).start();
}

function graphError(code: string, message: string) {
  return { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } };
}

function channelJson(channel: FakeChannel) {
  return {
    id: channel.id,
    displayName: channel.displayName,
    description: channel.description || null,
    membershipType: 'standard',
    createdDateTime: new Date().toISOString(),
    email: '',
    webUrl: channel.webUrl,
  };
}

function messageJson(message: FakeTeamsMessage, teamId: string, channelId: string) {
  return {
    id: message.id,
    replyToId: message.replyToId,
    messageType: 'message',
    createdDateTime: message.createdDateTime,
    lastModifiedDateTime: message.lastModifiedDateTime,
    deletedDateTime: null,
    from: { user: message.from.user ? { ...message.from.user, userIdentityType: 'aadUser' } : null, application: message.from.application ?? null },
    body: { contentType: 'html', content: message.from.user ? message.html : escapeHtml(message.html) },
    attachments: ((message.activity?.attachments as { contentType: string; content: unknown }[] | undefined) ?? []).map((a) => ({
      id: randomUUID(),
      contentType: a.contentType,
      content: JSON.stringify(a.content),
    })),
    mentions: [],
    reactions: [],
    channelIdentity: { teamId, channelId },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
