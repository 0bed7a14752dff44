import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLockedServer, type LockedServer } from '../helpers/locked-server.js';
import { addLocalUser, changePassword, removeUser } from '../../src/people/manage-users.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createStore } from '../../src/store/create-store.js';

const root = join(import.meta.dirname, '../..');
const json = (answer: { text: string }) => JSON.parse(answer.text);
const cookieOf = (answer: { headers: Record<string, unknown> }) => String((answer.headers['set-cookie'] as string[] | undefined)?.[0] ?? '').split(';')[0]!;

/** Named people over HTTP: local accounts, the shared password as admin, sessions that end, names on everything. */
describe('people: accounts and sessions', () => {
  let server: LockedServer;
  const now = () => new Date().toISOString();
  const login = async (body: object) => server.raw('POST', '/api/login', { body: JSON.stringify(body) });
  const as = (cookie: string) => ({ cookie, 'x-sidekick-csrf': '1' });

  beforeAll(async () => {
    server = await startLockedServer({ env: { SIDEKICK_WEB_PASSWORD: 'the shared admin password' } });
    await addLocalUser(server.runtime.store, { login: 'alice', password: 'correct horse battery', displayName: 'Alice <Ops>', now: now() });
  });
  afterAll(async () => server?.close());

  it('refuses weak passwords, bad names and duplicates with stable codes', async () => {
    const store = server.runtime.store;
    await expect(addLocalUser(store, { login: 'bob', password: 'short', now: now() })).rejects.toMatchObject({ code: 'USER_PASSWORD_WEAK' });
    await expect(addLocalUser(store, { login: 'Bob Smith', password: 'long enough password', now: now() })).rejects.toMatchObject({ code: 'USER_NAME_INVALID' });
    await expect(addLocalUser(store, { login: 'ALICE', password: 'long enough password', now: now() })).rejects.toMatchObject({ code: 'USER_EXISTS' });
    const stored = await store.getUserByLogin('alice');
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored?.passwordHash).not.toContain('correct horse');
  });

  it('logs a local account in and names it on the session, the room and the timeline', async () => {
    expect((await login({ user: 'alice', password: 'wrong password!' })).status).toBe(401);
    expect((await login({ user: 'nobody', password: 'correct horse battery' })).status).toBe(401);
    const ok = await login({ user: 'Alice', password: 'correct horse battery' });
    expect(ok.status).toBe(200);
    const cookie = cookieOf(ok);
    expect(json(await server.raw('GET', '/api/session', { headers: { cookie } }))).toMatchObject({
      authenticated: true,
      person: { userId: 'user:alice', name: 'Alice <Ops>' },
      login: { accounts: true, password: true },
    });

    const declared = await server.raw('POST', '/api/incidents', { body: JSON.stringify({ title: 'Checkout is slow' }), headers: as(cookie) });
    expect(declared.status).toBe(201);
    const incident = json(declared).incident;
    // A header cannot pretend to be someone else once people log in.
    await server.raw('POST', `/api/incidents/${incident.id}/status`, { body: JSON.stringify({ status: 'mitigated' }), headers: { ...as(cookie), 'x-sidekick-user': 'mallory' } });
    const detail = json(await server.raw('GET', `/api/incidents/${incident.id}`, { headers: { cookie } }));
    expect(detail.timeline.map((e: any) => [e.kind, e.actor])).toEqual(
      expect.arrayContaining([
        ['declared', 'Alice <Ops>'],
        ['status', 'Alice <Ops>'],
      ]),
    );
    expect(detail.timeline.some((e: any) => e.actor === 'mallory' || e.actor === 'web')).toBe(false);

    // An account named by its login takes a role under its display name.
    const handed = json(await server.raw('POST', `/api/incidents/${incident.id}/roles`, { body: JSON.stringify({ role: 'communications', user: '@alice' }), headers: as(cookie) }));
    expect(handed.incident.roles.communications).toMatchObject({ userId: 'user:alice', name: 'Alice <Ops>' });
    const room = await server.runtime.store.ensureRoomChannel('general', undefined, now());
    const said = json(await server.raw('POST', '/api/room/messages', { body: JSON.stringify({ channel: room.id, text: 'looking' }), headers: as(cookie) }));
    expect(said.message).toMatchObject({ userId: 'user:alice', userName: 'Alice <Ops>' });
  });

  it('keeps the shared web password working: it logs in as admin', async () => {
    const ok = await login({ password: 'the shared admin password' });
    expect(ok.status).toBe(200);
    expect(json(await server.raw('GET', '/api/session', { headers: { cookie: cookieOf(ok) } })).person).toEqual({ userId: 'admin', name: 'admin' });
    expect((await login({ password: 'not it' })).status).toBe(401);
  });

  it('ends sessions when the password changes or the account is removed', async () => {
    await addLocalUser(server.runtime.store, { login: 'carol', password: 'carol first password', now: now() });
    const first = cookieOf(await login({ user: 'carol', password: 'carol first password' }));
    expect((await server.raw('GET', '/api/incidents', { headers: { cookie: first } })).status).toBe(200);
    await changePassword(server.runtime.store, 'carol', 'carol second password', now());
    expect((await server.raw('GET', '/api/incidents', { headers: { cookie: first } })).status).toBe(401);
    const second = cookieOf(await login({ user: 'carol', password: 'carol second password' }));
    expect((await server.raw('GET', '/api/incidents', { headers: { cookie: second } })).status).toBe(200);
    await removeUser(server.runtime.store, 'carol');
    expect((await server.raw('GET', '/api/incidents', { headers: { cookie: second } })).status).toBe(401);
  });

  it('refuses a forged or tampered session cookie', async () => {
    const cookie = cookieOf(await login({ user: 'alice', password: 'correct horse battery' }));
    const [name, value] = cookie.split('=') as [string, string];
    const parts = value.split('.');
    const claims = JSON.parse(Buffer.from(parts[2]!, 'base64url').toString());
    parts[2] = Buffer.from(JSON.stringify({ ...claims, u: 'admin' })).toString('base64url');
    expect((await server.raw('GET', '/api/incidents', { headers: { cookie: `${name}=${parts.join('.')}` } })).status).toBe(401);
  });
});

describe('people: an open loopback installation asks once for a display name', () => {
  let server: LockedServer;
  beforeAll(async () => {
    server = await startLockedServer({});
  });
  afterAll(async () => server?.close());

  it('stores the name in a cookie and names the author of messages and changes', async () => {
    expect(json(await server.raw('GET', '/api/session'))).toMatchObject({ required: false, askName: true, person: { name: 'web' } });
    expect((await server.raw('POST', '/api/session/name', { body: JSON.stringify({ name: 'Dana' }) })).status).toBe(403);
    expect((await server.raw('POST', '/api/session/name', { body: JSON.stringify({ name: '\u202e\u0000 ' }), headers: { 'x-sidekick-csrf': '1' } })).status).toBe(400);
    const named = await server.raw('POST', '/api/session/name', { body: JSON.stringify({ name: '  Dana   Scully ' }), headers: { 'x-sidekick-csrf': '1' } });
    expect(named.status).toBe(200);
    const cookie = cookieOf(named);
    expect(json(await server.raw('GET', '/api/session', { headers: { cookie } }))).toMatchObject({ askName: false, person: { userId: 'web:Dana Scully', name: 'Dana Scully' } });
    const room = await server.runtime.store.ensureRoomChannel('general', undefined, new Date().toISOString());
    const said = json(await server.raw('POST', '/api/room/messages', { body: JSON.stringify({ channel: room.id, text: 'hello' }), headers: { cookie } }));
    expect(said.message).toMatchObject({ userId: 'web:Dana Scully', userName: 'Dana Scully' });
  });
});

describe('people: `sidekick users`', () => {
  it('adds, lists and removes accounts; with accounts the login is required', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-users-'));
    const run = (args: string[], input?: string) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'users', ...args],
          { cwd: root, env: { ...process.env, SIDEKICK_CONFIG: '', SIDEKICK_DATA_DIR: join(dir, 'data') } },
          (error, out, err) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err }),
        );
        child.stdin!.end(input ?? '');
      });
    try {
      const added = await run(['add', 'erin', '--display-name', 'Erin Ops'], 'a long erin password\n');
      expect(added.err).toBe('');
      expect(added.out).toContain('added erin (Erin Ops)');
      expect((await run(['add', 'erin'], 'another long password\n')).err).toContain('exists already');
      expect((await run(['add', 'frank'], 'short\n')).code).not.toBe(0);
      expect((await run(['list'])).out).toMatch(/^erin\tErin Ops\tlocal\t/m);
      const store = await createStore({ dataDir: join(dir, 'data') });
      try {
        const { decideAccess } = await import('../../src/server/auth.js');
        const config = loadConfig({ cwd: dir, env: { SIDEKICK_DATA_DIR: join(dir, 'data') } });
        expect(decideAccess(config, (await store.countUsers()) > 0).loginRequired).toBe(true);
        expect(decideAccess({ ...config, server: { ...config.server, host: '0.0.0.0' } }, true).loginRequired).toBe(true);
      } finally {
        await store.close();
      }
      expect((await run(['remove', 'erin'])).out).toContain('removed erin');
      expect((await run(['list'])).out).toContain('no accounts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
