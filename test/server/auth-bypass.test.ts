import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLockedServer, type LockedServer } from '../helpers/locked-server.js';

const PASSWORD = 'correct horse battery staple';
const FLOW = (id: string) => `id: ${id}\ntrigger:\n  on: alert\nboxes:\n  - id: say\n    type: post\n    text: hello\n`;

/**
 * Every way of spelling an API path that a server might route to the same handler. The guard
 * must decide on what the router matched, so none of these may reach data without a session.
 */
function spellings(path: string): string[] {
  const rest = path.slice('/api'.length); // '/incidents'
  const tail = rest.slice(1);
  const encodeChar = (c: string, upper = false) => {
    const hex = c.charCodeAt(0).toString(16);
    return `%${upper ? hex.toUpperCase() : hex}`;
  };
  const out = new Set<string>([
    path,
    // One letter of "api" percent-encoded, lower- and upper-case hex, and all three.
    `/${encodeChar('a')}pi${rest}`,
    `/a${encodeChar('p')}i${rest}`,
    `/ap${encodeChar('i')}${rest}`,
    `/%41pi${rest}`,
    `/AP%49${rest}`,
    `/%61%70%69${rest}`,
    `/api/${encodeChar(tail[0]!)}${tail.slice(1)}`,
    // Double encoding.
    `/%2561pi${rest}`,
    `/ap%2569${rest}`,
    `/%252fapi${rest}`,
    // Case.
    `/API${rest}`,
    `/Api${rest}`,
    `/api${rest.toUpperCase()}`,
    // Doubled and dot segments.
    `//api${rest}`,
    `/api/${rest}`,
    `/./api${rest}`,
    `/api/.${rest}`,
    `/x/../api${rest}`,
    `/api/x/..${rest}`,
    `/api/session/..${rest}`,
    `/api/login/..${rest}`,
    `/%2e/api${rest}`,
    `/x/%2e%2e/api${rest}`,
    `/api/%2E%2E/api${rest}`,
    // Semicolons (matrix parameters).
    `/api;${rest}`,
    `/api;x=1${rest}`,
    `${path};`,
    `${path};jsessionid=1`,
    `/api/session;${rest}`,
    // Encoded slash.
    `/api%2F${tail}`,
    `/api%2f${tail}`,
    `%2Fapi${rest}`,
    `/%2Fapi${rest}`,
    // Trailing slash, query strings, fragments sent raw.
    `${path}/`,
    `${path}?`,
    `${path}?x=1`,
    `${path}?/api/session`,
    `${path}?path=/api/login`,
    `${path}#x`,
    `${path}%3F`,
    `${path}%23`,
  ]);
  return [...out];
}

describe('no way around the login by spelling a path differently', { timeout: 120_000 }, () => {
  let server: LockedServer;
  let cookie: string;
  let incidentTitle: string;

  beforeAll(async () => {
    server = await startLockedServer({
      env: { SIDEKICK_WEB_PASSWORD: PASSWORD },
      flows: { 'existing.yaml': FLOW('existing') },
      // Bound beyond loopback in the configuration: the login is required under every rule.
      configure: (config) => (config.server.host = '0.0.0.0'),
    });
    incidentTitle = 'secret-incident-title-7f3a';
    await server.runtime.incidents.declare({ title: incidentTitle, actor: 'test' });
    const login = await server.raw('POST', '/api/login', { body: JSON.stringify({ password: PASSWORD }) });
    expect(login.status).toBe(200);
    cookie = String(login.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(async () => server?.close());

  const methods = ['GET', 'PUT', 'POST', 'DELETE'] as const;
  const bodies: Record<string, string> = {
    '/api/incidents': JSON.stringify({ title: 'planted by an attacker' }),
    '/api/flows/pwned': JSON.stringify({ yaml: FLOW('pwned') }),
    '/api/flows/existing': JSON.stringify({ yaml: FLOW('existing') }),
    '/api/events': '{}',
  };

  for (const path of ['/api/incidents', '/api/flows/pwned', '/api/flows/existing', '/api/events']) {
    it(`refuses every spelling of ${path} without a session, for ${methods.join(', ')}`, async () => {
      const leaks: string[] = [];
      for (const spelled of spellings(path)) {
        for (const method of methods) {
          const answer = await server.raw(method, spelled, { body: method === 'GET' || method === 'DELETE' ? undefined : bodies[path], readMs: 300 });
          const what = `${method} ${spelled} → ${answer.status}`;
          if (answer.status < 400 || answer.status >= 500) leaks.push(what);
          else if (String(answer.headers['content-type']).includes('text/event-stream')) leaks.push(`${what} (event stream)`);
          else if (answer.text.includes(incidentTitle) || answer.text.includes('existing.yaml')) leaks.push(`${what} (data in the body)`);
        }
      }
      expect(leaks).toEqual([]);
      // And nothing changed behind the refusals.
      expect(existsSync(join(server.dir, 'flows', 'pwned.yaml'))).toBe(false);
      expect(readFileSync(join(server.dir, 'flows', 'existing.yaml'), 'utf8')).toBe(FLOW('existing'));
      const incidents = await server.runtime.store.listIncidents({ limit: 100, offset: 0 });
      expect(incidents.map((incident) => incident.title)).toEqual([incidentTitle]);
    });
  }

  it('refuses every spelling of a change with a session but without the CSRF header', async () => {
    const leaks: string[] = [];
    for (const path of ['/api/incidents', '/api/flows/pwned']) {
      for (const spelled of spellings(path)) {
        for (const method of ['PUT', 'POST', 'DELETE']) {
          const answer = await server.raw(method, spelled, { body: method === 'DELETE' ? undefined : bodies[path], headers: { cookie }, readMs: 300 });
          if (answer.status < 400 || answer.status >= 500) leaks.push(`${method} ${spelled} → ${answer.status}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(existsSync(join(server.dir, 'flows', 'pwned.yaml'))).toBe(false);
  });

  it('serves the same routes with a session and the CSRF header (the guard is not just closed)', async () => {
    const list = await server.raw('GET', '/api/incidents', { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(list.text).toContain(incidentTitle);
    const events = await server.raw('GET', '/api/events', { headers: { cookie }, readMs: 300 });
    expect(events.status).toBe(200);
    expect(String(events.headers['content-type'])).toContain('text/event-stream');
    const saved = await server.raw('PUT', '/api/flows/allowed', { body: JSON.stringify({ yaml: FLOW('allowed') }), headers: { cookie, 'x-sidekick-csrf': '1' } });
    expect(saved.status).toBe(200);
    expect(existsSync(join(server.dir, 'flows', 'allowed.yaml'))).toBe(true);
  });

  it('answers an unmatched path that spells the API with a plain 404 and no data', async () => {
    for (const spelled of ['/%61pi/nothing-here', '/API/incidents', '/api/nothing', '/%61pi', '/mcp/x']) {
      const answer = await server.raw('GET', spelled);
      expect(answer.status, spelled).toBe(404);
      expect(answer.text, spelled).not.toContain(incidentTitle);
      expect(answer.text, spelled).not.toContain('<html');
    }
  });

  it('keeps the login, the session check and logout reachable without a session', async () => {
    expect((await server.raw('GET', '/api/session')).text).toContain('"authenticated":false');
    expect((await server.raw('POST', '/api/login', { body: JSON.stringify({ password: 'nope' }) })).status).toBe(401);
    expect((await server.raw('POST', '/api/logout', { body: '{}' })).status).toBe(200);
  });

  it('refuses to start when a route under /api/ or /mcp is registered outside the guarded scope', async () => {
    const env = { SIDEKICK_WEB_PASSWORD: PASSWORD };
    await expect(startLockedServer({ env, beforeListen: (app) => app.get('/api/forgotten', async () => ({ leaked: true })) })).rejects.toThrow(/protected/i);
    await expect(startLockedServer({ env, beforeListen: (app) => app.post('/MCP', async () => ({ leaked: true })) })).rejects.toThrow(/protected/i);
  });
});
