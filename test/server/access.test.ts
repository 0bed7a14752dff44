import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { decideAccess, isLoopback, isLoopbackUrl, spellsProtectedPath } from '../../src/server/auth.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startSidekick } from '../../src/server/start.js';
import { startLockedServer } from '../helpers/locked-server.js';

describe('isLoopback compares addresses, not prefixes', () => {
  it.each(['127.0.0.1', '127.1.2.3', '127.255.255.254', 'localhost', 'LOCALHOST', 'localhost.', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1', '[::ffff:127.9.9.9]'])(
    '%s is loopback',
    (host) => expect(isLoopback(host)).toBe(true),
  );
  it.each(['127.example.com', '127.0.0.1.nip.io', 'localhost.example.com', '0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::ffff:10.0.0.1', '::2', 'fe80::1%eth0', '', 'sidekick.internal', '1127.0.0.1'])(
    '%s is not loopback',
    (host) => expect(isLoopback(host)).toBe(false),
  );
  it('reads the host of a URL the way a browser does', () => {
    expect(isLoopbackUrl('http://127.0.0.1:8080/')).toBe(true);
    expect(isLoopbackUrl('http://localhost/')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:3000')).toBe(true);
    expect(isLoopbackUrl('http://127.1/')).toBe(true);
    expect(isLoopbackUrl('https://127.example.com/')).toBe(false);
    expect(isLoopbackUrl('https://sidekick.example.com')).toBe(false);
    expect(isLoopbackUrl('http://127.0.0.1@evil.example/')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});

describe('who may reach the UI and the API', () => {
  const config = (host: string, publicUrl?: string, password?: string) => ({ server: { host, publicUrl }, web: { password } });

  it('stays open only on a loopback bind with neither a password nor a public URL beyond loopback', () => {
    expect(decideAccess(config('127.0.0.1')).loginRequired).toBe(false);
    expect(decideAccess(config('::1', 'http://localhost:8080')).loginRequired).toBe(false);
  });

  it('requires the login whenever a password is set, loopback or not', () => {
    expect(decideAccess(config('127.0.0.1', undefined, 'pw')).loginRequired).toBe(true);
    expect(decideAccess(config('127.0.0.1', 'https://sidekick.example.com', 'pw')).loginRequired).toBe(true);
    expect(decideAccess(config('0.0.0.0', undefined, 'pw')).loginRequired).toBe(true);
  });

  it('refuses to start, saying how to fix it, when reachable from beyond this machine without a password', () => {
    expect(() => decideAccess(config('0.0.0.0'))).toThrow(/SIDEKICK_WEB_PASSWORD/);
    expect(() => decideAccess(config('127.example.com'))).toThrow(/SIDEKICK_WEB_PASSWORD/);
    expect(() => decideAccess(config('127.0.0.1', 'https://sidekick.example.com'))).toThrow(/public URL https:\/\/sidekick\.example\.com.*SIDEKICK_WEB_PASSWORD/);
    expect(() => decideAccess(config('127.0.0.1', 'https://127.example.com'))).toThrow(/SIDEKICK_PUBLIC_URL/);
  });

  it('names every spelling of the API as such (for the 404 of unmatched paths)', () => {
    for (const path of ['/api/x', '/%61pi/x', '/%2561pi/x', '/API/x', '//api/x', '/./api/x', '/x/../api/x', '/api;x/y', '/%2Fapi/x', '/mcp', '/MCP/', '/%6dcp']) {
      expect(spellsProtectedPath(path), path).toBe(true);
    }
    for (const path of ['/', '/incidents/1', '/apis', '/webhooks/api', '/flows?x=/api/y']) expect(spellsProtectedPath(path), path).toBe(false);
  });
});

describe('a configured password is always required', () => {
  it('locks the API behind the login on a loopback bind when a password is set (the reverse-proxy deployment)', async () => {
    const server = await startLockedServer({ env: { SIDEKICK_WEB_PASSWORD: 'pw-for-the-proxy' } });
    try {
      expect(server.runtime.config.server.host).toBe('127.0.0.1');
      expect((await server.raw('GET', '/api/incidents')).status).toBe(401);
      expect(JSON.parse((await server.raw('GET', '/api/session')).text)).toMatchObject({ required: true, authenticated: false, askName: false });
      expect((await server.raw('PUT', '/api/flows/x', { body: JSON.stringify({ yaml: 'id: x' }) })).status).toBe(401);
      // Webhook sources without a credential accept callers only in the open quick start.
      expect((await server.raw('POST', '/webhooks/generic', { body: JSON.stringify({ key: 'k', title: 't' }) })).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('keeps the quick start open: loopback, no password, no public URL', async () => {
    const server = await startLockedServer({});
    try {
      expect((await server.raw('GET', '/api/incidents')).status).toBe(200);
      expect(JSON.parse((await server.raw('GET', '/api/session')).text)).toMatchObject({ required: false, authenticated: true, askName: true, person: { name: 'web' } });
    } finally {
      await server.close();
    }
  });

  it('refuses to start with a public URL beyond loopback and no password, and says so in one line otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-access-'));
    try {
      const env = { SIDEKICK_DATA_DIR: join(dir, 'data'), SIDEKICK_PUBLIC_URL: 'https://sidekick.example.com' };
      await expect(startSidekick({ config: loadConfig({ cwd: dir, env }), port: 0, overrides: { log: pino({ level: 'silent' }) } })).rejects.toThrow(
        /no web login is configured.*SIDEKICK_WEB_PASSWORD/,
      );
      const lines: string[] = [];
      const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
      const started = await startSidekick({
        config: loadConfig({ cwd: dir, env: { ...env, SIDEKICK_WEB_PASSWORD: 'pw' } }),
        port: 0,
        overrides: { log: pino({ level: 'info' }, sink) },
      });
      await started.close();
      const access = lines.map((line) => JSON.parse(line)).filter((line) => /^web access:/.test(line.msg));
      expect(access).toHaveLength(1);
      expect(access[0]).toMatchObject({ loginRequired: true });
      expect(access[0].msg).toContain('login required');
      expect(lines.join('')).not.toContain('"pw"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
