import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

/** Cookies per origin, enough to walk a login through two servers as a browser would. */
class Jar {
  private readonly cookies = new Map<string, Map<string, string>>();
  header(url: string): string {
    return [...(this.cookies.get(new URL(url).origin) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(url: string, response: Response): void {
    const jar = this.cookies.get(new URL(url).origin) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(new URL(url).origin, jar);
  }
  async get(url: string): Promise<Response> {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: this.header(url) } });
    this.keep(url, response);
    return response;
  }
}

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider) on 127.0.0.1: the
 * authorization code flow with PKCE, the state and nonce checks, and a callback that is public but
 * trusts nothing it is handed.
 */
describe('single sign-on through OpenID Connect', () => {
  let idp: Server;
  let provider: Provider;
  let issuer: string;
  let sidekick: TestSidekick;

  beforeAll(async () => {
    // The provider's server listens first (Sidekick needs its address); the provider itself is
    // made once Sidekick's callback address is known.
    idp = createServer((req, res) => void handle(req, res));
    await new Promise<void>((done) => idp.listen(0, '127.0.0.1', done));
    issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
    sidekick = await startTestSidekick({ env: { SIDEKICK_OIDC_ISSUER: issuer, SIDEKICK_OIDC_CLIENT_ID: 'sidekick', SIDEKICK_OIDC_CLIENT_SECRET: 'a client secret for tests' } });
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'sidekick',
          client_secret: 'a client secret for tests',
          redirect_uris: [`${sidekick.url}/auth/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, name: 'Grace <Hopper>', preferred_username: 'grace', email: 'grace@example.com' }) }),
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
      pkce: { required: () => true },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      cookies: { keys: ['cookie signing key for tests'] },
    });
  }, 30_000);
  afterAll(async () => {
    await sidekick?.close();
    await new Promise((done) => idp?.close(done));
  });

  /** The provider logs "grace" in and grants the scopes without a form: the test is about Sidekick's side. */
  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (!req.url?.startsWith('/interaction/')) return provider.callback()(req, res);
    const { prompt, params, session } = await provider.interactionDetails(req, res);
    if (prompt.name === 'login') return provider.interactionFinished(req, res, { login: { accountId: 'grace' } }, { mergeWithLastSubmission: false });
    const grant = new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
    grant.addOIDCScope(String(params.scope));
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }

  /** Follows redirects from the login start until the provider sends the browser back to Sidekick. */
  async function toCallback(jar: Jar): Promise<{ callback: string; authorize: URL }> {
    const start = await jar.get(`${sidekick.url}/auth/oidc/login`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    let next = authorize.href;
    for (let hop = 0; hop < 10; hop++) {
      if (next.startsWith(`${sidekick.url}/auth/oidc/callback`)) return { callback: next, authorize };
      const response = await jar.get(next);
      if (![302, 303].includes(response.status)) throw new Error(`${next} answered ${response.status}: ${await response.text()}`);
      next = new URL(response.headers.get('location')!, next).href;
    }
    throw new Error('the provider never sent the browser back');
  }

  it('requires the login and offers single sign-on', async () => {
    expect((await sidekick.get('/api/incidents')).status).toBe(401);
    expect((await sidekick.get('/api/session')).body).toMatchObject({ required: true, authenticated: false, login: { sso: true, password: false } });
  });

  it('logs in through the provider with PKCE, state and nonce, and names the person from the ID token', async () => {
    const jar = new Jar();
    const { callback, authorize } = await toCallback(jar);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${sidekick.url}/auth/oidc/callback`);
    const back = await jar.get(callback);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/');
    const session = await fetch(`${sidekick.url}/api/session`, { headers: { cookie: jar.header(sidekick.url) } }).then((r) => r.json());
    expect(session).toMatchObject({ authenticated: true, person: { name: 'Grace <Hopper>' } });
    expect(session.person.userId).toMatch(/^oidc:/);
    const declared = await fetch(`${sidekick.url}/api/incidents`, {
      method: 'POST',
      headers: { cookie: jar.header(sidekick.url), 'x-sidekick-csrf': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Signed on' }),
    }).then((r) => r.json());
    const detail = await fetch(`${sidekick.url}/api/incidents/${declared.incident.id}`, { headers: { cookie: jar.header(sidekick.url) } }).then((r) => r.json());
    expect(detail.timeline.find((e: any) => e.kind === 'declared').actor).toBe('Grace <Hopper>');
    // The account is kept by issuer and subject; the next login finds it again.
    expect((await sidekick.runtime.store.listUsers()).map((u) => [u.login, u.oidc?.subject])).toEqual([['grace', 'grace']]);
  });

  it('refuses a callback whose state does not match the login it started', async () => {
    const jar = new Jar();
    const { callback } = await toCallback(jar);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'state-of-another-login');
    const answer = await jar.get(forged.href);
    expect(answer.status).toBe(401);
    expect(answer.headers.getSetCookie().some((c) => c.startsWith('sidekick_session=') && !c.startsWith('sidekick_session=;'))).toBe(false);
  });

  it('refuses a callback from a browser that never started a login (no signed state cookie), and a replayed code', async () => {
    const jar = new Jar();
    const { callback } = await toCallback(jar);
    const stranger = await fetch(callback, { redirect: 'manual' });
    expect(stranger.status).toBe(400);
    expect((await stranger.json()).error.code).toBe('OIDC_STATE_MISSING');
    expect((await jar.get(callback)).status).toBe(302);
    // The same answer again: the pending login was used up, and the code with it.
    expect((await jar.get(callback)).status).toBe(400);
  });
});
