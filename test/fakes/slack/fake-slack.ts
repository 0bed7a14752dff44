import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { FAKE_METHODS } from './fake-slack-methods.js';
import { FakeWorkspace, type FakeMessage } from './fake-slack-state.js';

/**
 * A fake Slack Web API on 127.0.0.1: form, JSON and query bodies, bearer tokens, `ok:false`
 * codes, HTTP 429 + Retry-After on chat.postMessage bursts, cursor pagination, Block Kit checks,
 * message metadata, and switches for outages. See integrations.md §1 for the behaviour it copies.
 */

export interface FakeSlackOptions {
  token?: string;
  /** App-level token `xapp-…` accepted by apps.connections.open (Socket Mode). */
  appToken?: string;
  /** chat.postMessage per channel: sustained rate and burst (Slack: ~1/s with short bursts). */
  postRatePerSecond?: number;
  postBurst?: number;
  /** The clock outages and rate limits are measured by: tests pass a virtual clock to make a minute cost nothing. */
  now?: () => number;
}

export interface LoggedRequest {
  method: string;
  params: Record<string, unknown>;
  status: number;
}

interface Outage {
  status: number;
  requests?: number;
  until?: number;
  /** Apply the call, then answer the error: the response is lost but the effect happened. */
  afterApplying?: boolean;
  /** Close the socket without answering (a network error for the client). */
  drop?: boolean;
  /** Answer HTTP 200 `{ok:false, error}` instead (Slack's own `internal_error`, `fatal_error`…). */
  slackError?: string;
}

export class FakeSlack {
  readonly workspace = new FakeWorkspace();
  readonly requests: LoggedRequest[] = [];
  /** Bodies POSTed to `response_url`s (slash command and action responses). */
  readonly responses: { id: string; body: Record<string, unknown> }[] = [];
  readonly token: string;
  private readonly server: Server;
  private outages: Outage[] = [];
  private buckets = new Map<string, { tokens: number; at: number }>();
  private rate: number;
  private burst: number;
  private port = 0;
  private readonly now: () => number;
  readonly appToken: string;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private readonly pendingAcks = new Map<string, (payload: Record<string, unknown> | undefined) => void>();

  constructor(options: FakeSlackOptions = {}) {
    this.now = options.now ?? Date.now;
    this.appToken = options.appToken ?? 'xapp-1-fake-app-token';
    this.token = options.token ?? 'xoxb-fake-token';
    this.rate = options.postRatePerSecond ?? 1;
    this.burst = options.postBurst ?? 4;
    this.server = createServer((req, res) => void this.handle(req, res));
    // Socket Mode: the URL handed out by apps.connections.open upgrades here.
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) return socket.destroy();
      this.sockets.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  private onSocket(ws: WebSocket): void {
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (ack.envelope_id) this.pendingAcks.get(ack.envelope_id)?.(ack.payload);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: this.sockets.clients.size, connection_info: { app_id: 'A0FAKEAPP' }, debug_info: { host: 'fake' } }));
  }

  /** Connected Socket Mode clients. */
  get socketClients(): number {
    return this.sockets.clients.size;
  }

  /** Sends a Socket Mode envelope to the connected app; resolves with its ack's payload (3 s at most). */
  async sendEnvelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: Record<string, unknown>, retryAttempt = 0): Promise<Record<string, unknown> | undefined> {
    const [client] = this.sockets.clients;
    if (!client) throw new Error('no Socket Mode client is connected');
    const envelopeId = randomUUID();
    const acked = new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ack within 3 s')), 3000);
      this.pendingAcks.set(envelopeId, (ackPayload) => {
        clearTimeout(timer);
        this.pendingAcks.delete(envelopeId);
        resolve(ackPayload);
      });
    });
    client.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '' }));
    return acked;
  }

  /** `http://127.0.0.1:PORT/api/`, the value for `slackApiUrl` / `SLACK_API_URL`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A `response_url` Slack would include in a command or click. */
  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answers `status` (default 503) to the next `requests` calls, or to every call for `ms`. */
  outage(options: { requests?: number; ms?: number; status?: number; afterApplying?: boolean; drop?: boolean; slackError?: string }): void {
    this.outages.push({
      slackError: options.slackError,
      status: options.status ?? 503,
      requests: options.requests,
      until: options.ms !== undefined ? this.now() + options.ms : undefined,
      afterApplying: options.afterApplying,
      drop: options.drop,
    });
  }

  endOutage(): void {
    this.outages = [];
  }

  setPostRate(perSecond: number, burst: number): void {
    this.rate = perSecond;
    this.burst = burst;
    this.buckets.clear();
  }

  /** Every message the bot posted (top level and replies), oldest first. */
  botMessages(channel?: string): (FakeMessage & { channel: string })[] {
    return [...this.workspace.channels.values()]
      .filter((c) => channel === undefined || c.id === channel)
      .flatMap((c) => c.messages.filter((m) => m.bot_id !== undefined).map((m) => ({ ...m, channel: c.id })))
      .sort((a, b) => Number(a.ts) - Number(b.ts));
  }

  calls(method: string): LoggedRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  /**
   * Slack may return fewer items than `limit` (integrations.md §1.3): cap every page at this size
   * so clients are forced to follow cursors.
   */
  set pageCap(size: number | undefined) {
    this.workspace.pageCap = size;
  }

  private currentOutage(): Outage | undefined {
    const now = this.now();
    this.outages = this.outages.filter((o) => (o.requests === undefined || o.requests > 0) && (o.until === undefined || o.until > now));
    const outage = this.outages[0];
    if (outage && outage.requests !== undefined) outage.requests -= 1;
    return outage;
  }

  /** Token bucket per channel for chat.postMessage; returns seconds to wait, or 0 to go ahead. */
  private takePostToken(channel: string): number {
    const now = this.now();
    const bucket = this.buckets.get(channel) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    // Slack sends whole seconds; the SDK parses an integer.
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/response/')) {
      this.responses.push({ id: url.pathname.slice('/response/'.length), body: safeJson(raw) ?? { raw } });
      return send(res, 200, 'ok', 'text/plain');
    }
    const match = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (!match) return send(res, 404, 'Not Found', 'text/plain');
    const method = match[1];
    const params = parseParams(req.headers['content-type'], raw, url.searchParams);
    const log: LoggedRequest = { method, params: params ?? {}, status: 200 };
    this.requests.push(log);

    const outage = this.currentOutage();
    if (outage?.drop) {
      log.status = 0;
      req.socket.destroy();
      return;
    }
    if (outage?.slackError) return this.answer(res, log, { ok: false, error: outage.slackError });
    if (outage && !outage.afterApplying) {
      log.status = outage.status;
      return send(res, outage.status, `<html><body>${outage.status} Service Unavailable</body></html>`, 'text/html');
    }
    if (params === undefined) return this.answer(res, log, { ok: false, error: 'invalid_form_data' });

    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof params.token === 'string' ? params.token : undefined;
    if (!token) return this.answer(res, log, { ok: false, error: 'not_authed' });
    // Socket Mode connects with the app-level token, every other method with the bot token.
    if (method === 'apps.connections.open') {
      if (token !== this.appToken) return this.answer(res, log, { ok: false, error: 'invalid_auth' });
      return this.answer(res, log, { ok: true, url: `ws://127.0.0.1:${this.port}/socket?ticket=${randomUUID()}&app_id=A0FAKEAPP` });
    }
    if (token !== this.token) return this.answer(res, log, { ok: false, error: 'invalid_auth' });

    const handler = FAKE_METHODS[method];
    if (!handler) return this.answer(res, log, { ok: false, error: 'unknown_method' });
    if (method === 'chat.postMessage') {
      const wait = this.takePostToken(String(params.channel ?? ''));
      if (wait > 0) {
        log.status = 429;
        res.setHeader('Retry-After', String(wait));
        return send(res, 429, JSON.stringify({ ok: false, error: 'ratelimited' }), 'application/json; charset=utf-8');
      }
    }
    const body = handler(this.workspace, params);
    if (outage?.afterApplying) {
      log.status = outage.status;
      return send(res, outage.status, `<html><body>${outage.status}</body></html>`, 'text/html');
    }
    return this.answer(res, log, body);
  }

  private answer(res: ServerResponse, log: LoggedRequest, body: Record<string, unknown>): void {
    log.status = 200;
    // Slack answers 200 even for logical errors.
    send(res, 200, JSON.stringify(body), 'application/json; charset=utf-8');
  }
}

/** Starts a fake Slack on 127.0.0.1 with a random port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return new FakeSlack(options).start();
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function safeJson(raw: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(raw);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Form (what @slack/web-api sends), JSON, or a GET query string. Undefined when unparsable. */
function parseParams(contentType: string | undefined, raw: string, query: URLSearchParams): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (raw === '') return params;
  if (type === 'application/json') {
    const json = safeJson(raw);
    return json ? { ...params, ...json } : undefined;
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    return { ...params, ...Object.fromEntries(new URLSearchParams(raw)) };
  }
  return undefined;
}
