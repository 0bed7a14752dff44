/**
 * A fake Zoom on 127.0.0.1: Server-to-Server OAuth token endpoint and meeting creation, with
 * Zoom's response shapes and error bodies (integrations.md §2). Point ZoomMeetings at
 * `oauthUrl = fake.url` and `apiUrl = fake.url + '/v2'`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { closeServer, listenOnLoopback, readBody } from '../fake-http.js';

export interface FakeZoomOptions {
  accountId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Seconds a token lives (Zoom: 3599 or 3600). */
  expiresIn?: number;
}

export interface FakeZoomMeeting {
  id: number;
  uuid: string;
  host_id: string;
  host_email: string;
  topic: string;
  type: number;
  status: 'waiting';
  start_time: string;
  duration: number;
  timezone: string;
  agenda: string;
  created_at: string;
  start_url: string;
  join_url: string;
  password: string;
  h323_password: string;
  pstn_password: string;
  encrypted_password: string;
  settings: Record<string, unknown>;
  pre_schedule: boolean;
}

export interface FakeZoom {
  url: string;
  /** Token requests received, valid or not. */
  tokenRequests: number;
  /** Where the grant arrived in each token request: `body` or `query`. */
  grantPlaces: ('body' | 'query')[];
  meetings: FakeZoomMeeting[];
  /** Makes every token issued so far invalid, as if it had expired or been revoked. */
  expireTokens(): void;
  /** The next `count` meeting creations answer with this status and Zoom error body. */
  failNext(count: number, status: number, body: { code: number; message: string }, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 port 0. */
export async function startFakeZoom(options: FakeZoomOptions = {}): Promise<FakeZoom> {
  const accountId = options.accountId ?? 'acct-123';
  const clientId = options.clientId ?? 'client-abc';
  const clientSecret = options.clientSecret ?? 'shhh-client-secret';
  const tokens = new Map<string, number>();
  let failures: { count: number; status: number; body: unknown; headers: Record<string, string> } | undefined;
  let nextId = 85_746_065_000;

  const state: FakeZoom = {
    url: '',
    tokenRequests: 0,
    grantPlaces: [],
    meetings: [],
    expireTokens: () => tokens.clear(),
    failNext: (count, status, body, headers = {}) => (failures = { count, status, body, headers }),
    close: () => closeServer(server),
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error) => send(res, 500, { code: 500, message: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (req.method === 'POST' && url.pathname === '/oauth/token') return token(req, res, url, body);
    const create = /^\/v2\/users\/([^/]+)\/meetings$/.exec(url.pathname);
    if (req.method === 'POST' && create) return createMeeting(req, res, decodeURIComponent(create[1]), body);
    send(res, 404, { code: 404, message: 'Not found' });
  }

  function token(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    state.tokenRequests++;
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    const [id, secret] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
    if (!basic || id !== clientId || secret !== clientSecret) {
      return send(res, 401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    }
    // Zoom's SDK sends the grant in the form body; older samples use the query string. Accept both.
    const form = new URLSearchParams(body);
    const fromBody = form.has('grant_type');
    const params = fromBody ? form : url.searchParams;
    state.grantPlaces.push(fromBody ? 'body' : 'query');
    if (params.get('grant_type') !== 'account_credentials') {
      return send(res, 400, { reason: 'Unsupported grant type', error: 'unsupported_grant_type' });
    }
    if (params.get('account_id') !== accountId) {
      return send(res, 400, { reason: 'Invalid account_id', error: 'invalid_request' });
    }
    const value = `eyJzdiI6IjAwMDAwMSJ9.${randomBytes(24).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
    const expiresIn = options.expiresIn ?? 3599;
    tokens.set(value, Date.now() + expiresIn * 1000);
    send(res, 200, { access_token: value, token_type: 'bearer', expires_in: expiresIn, scope: 'meeting:write:meeting:admin user:read:user:admin', api_url: 'https://api.zoom.us' });
  }

  function createMeeting(req: IncomingMessage, res: ServerResponse, userId: string, body: string): void {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const expiry = bearer ? tokens.get(bearer) : undefined;
    if (!bearer || expiry === undefined || expiry < Date.now()) {
      return send(res, 401, { code: 124, message: 'Invalid access token.' });
    }
    if (failures && failures.count > 0) {
      failures.count--;
      return send(res, failures.status, failures.body, failures.headers);
    }
    if (userId !== 'me' && !userId.includes('@')) {
      return send(res, 404, { code: 1001, message: `User does not exist: ${userId}.` });
    }
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body) as Record<string, unknown>;
      if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('not an object');
    } catch {
      return send(res, 400, { code: 300, message: 'Request Body should be a valid JSON object.' });
    }
    const topic = typeof input.topic === 'string' ? input.topic : '';
    const type = input.type ?? 2;
    if (Array.from(topic).length > 200 || ![1, 2, 3, 8, 10].includes(type as number)) {
      return send(res, 400, {
        code: 300,
        message: 'Validation Failed.',
        errors: [{ field: Array.from(topic).length > 200 ? 'topic' : 'type', message: 'Invalid field.' }],
      });
    }
    const id = nextId++;
    const pwd = randomBytes(4).toString('hex').slice(0, 6);
    const meeting: FakeZoomMeeting = {
      id,
      uuid: `${randomBytes(16).toString('base64')}`,
      host_id: 'kFFvsJc-Q1OSxaJQLvaa_A',
      host_email: 'sidekick@example.com',
      topic,
      type: type as number,
      status: 'waiting',
      start_time: typeof input.start_time === 'string' ? input.start_time : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      duration: typeof input.duration === 'number' ? input.duration : 60,
      timezone: typeof input.timezone === 'string' ? input.timezone : 'UTC',
      agenda: typeof input.agenda === 'string' ? input.agenda : '',
      created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      start_url: `https://us02web.zoom.us/s/${id}?zak=${randomBytes(12).toString('base64url')}`,
      join_url: `https://us02web.zoom.us/j/${id}?pwd=${randomBytes(12).toString('base64url')}`,
      password: pwd,
      h323_password: pwd,
      pstn_password: pwd,
      encrypted_password: randomBytes(12).toString('base64url'),
      settings: { host_video: false, participant_video: false, join_before_host: false, waiting_room: true, ...(input.settings as object) },
      pre_schedule: false,
    };
    state.meetings.push(meeting);
    send(res, 201, meeting);
  }

  state.url = await listenOnLoopback(server);
  return state;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'x-zm-trackingid': `v=2.0;clid=us02;rid=${randomBytes(6).toString('hex')}`, ...headers });
  res.end(JSON.stringify(body));
}
