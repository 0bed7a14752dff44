import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle, DEFAULT_LOGIN_THROTTLE } from '../../src/server/login-throttle.js';
import { FakeClock } from '../../src/util/clock.js';
import { startLockedServer, type LockedServer } from '../helpers/locked-server.js';

const PASSWORD = 'the-right-one-91c2';

describe('LoginThrottle', () => {
  const make = () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle({
      perClient: { free: 5, baseMs: 1000, maxMs: 8000 },
      overall: { free: 12, baseMs: 1000, maxMs: 4000 },
      forgetMs: 60_000,
      now: () => now,
      maxClients: 3,
    });
    return { throttle, advance: (ms: number) => (now += ms) };
  };

  it('lets four failures through, then backs off exponentially up to the cap', () => {
    const { throttle, advance } = make();
    for (let i = 0; i < 4; i++) throttle.failed('a');
    expect(throttle.waitMs('a').ms).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      throttle.failed('a');
      const wait = throttle.waitMs('a').ms;
      waits.push(wait);
      advance(wait);
      expect(throttle.waitMs('a').ms).toBe(0);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(throttle.waitMs('b').ms).toBe(0); // another address is not slowed by a's failures
  });

  it('forgets a client after a success or after forgetMs without failures', () => {
    const { throttle, advance } = make();
    for (let i = 0; i < 5; i++) throttle.failed('a');
    expect(throttle.waitMs('a').ms).toBe(1000);
    throttle.succeeded('a');
    expect(throttle.waitMs('a').ms).toBe(0);
    for (let i = 0; i < 5; i++) throttle.failed('b');
    advance(60_001);
    throttle.failed('b');
    expect(throttle.waitMs('b').ms).toBe(0); // counting started again
  });

  it('slows everyone once the failures of all addresses together pass the overall limit', () => {
    const { throttle } = make();
    for (let i = 0; i < 12; i++) throttle.failed(`client-${i}`);
    expect(throttle.waitMs('a-fresh-address')).toEqual({ ms: 1000, scope: 'overall' });
  });

  it('remembers a bounded number of addresses', () => {
    const { throttle } = make();
    for (let i = 0; i < 5; i++) throttle.failed('first');
    for (const client of ['x', 'y', 'z']) throttle.failed(client);
    expect(throttle.waitMs('first').ms).toBe(0); // the oldest went to make room
  });

  it('has sensible defaults', () => {
    expect(DEFAULT_LOGIN_THROTTLE.perClient.free).toBe(5);
    expect(DEFAULT_LOGIN_THROTTLE.overall.free).toBeGreaterThan(DEFAULT_LOGIN_THROTTLE.perClient.free);
  });
});

describe('POST /api/login is throttled', () => {
  let server: LockedServer;
  const clock = new FakeClock('2026-03-01T10:00:00Z');
  const lines: string[] = [];
  beforeAll(async () => {
    server = await startLockedServer({
      env: { SIDEKICK_WEB_PASSWORD: PASSWORD },
      overrides: { clock, log: pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) })) },
    });
  });
  afterAll(async () => server?.close());

  const login = (password: unknown) => server.raw('POST', '/api/login', { body: JSON.stringify({ password }) });

  it('answers 429 with Retry-After after five failures, even to the right password, and lets it in after the wait', async () => {
    for (let i = 0; i < 5; i++) expect((await login(`guess-${i}`)).status).toBe(401);
    const refused = await login(PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.text).error.code).toBe('LOGIN_THROTTLED');
    clock.advance(1000);
    expect((await login('guess-6')).status).toBe(401);
    const again = await login(PASSWORD);
    expect(again.status).toBe(429);
    expect(again.headers['retry-after']).toBe('2');
    clock.advance(2000);
    const ok = await login(PASSWORD);
    expect(ok.status).toBe(200);
    expect(String(ok.headers['set-cookie'])).toContain('sidekick_session=');
    // A success forgets the address's failures.
    expect((await login('one-more-typo')).status).toBe(401);
    expect((await login(PASSWORD)).status).toBe(200);
  });

  it('logs failures and refusals with the address but never the password', () => {
    const logged = lines.map((line) => JSON.parse(line));
    const failed = logged.filter((line) => line.msg === 'web login failed');
    expect(failed.length).toBeGreaterThanOrEqual(6);
    expect(failed[0]).toMatchObject({ client: '127.0.0.1', failures: 1 });
    expect(logged.some((line) => line.msg === 'web login refused: too many failed attempts' && line.retryAfterSeconds === 1)).toBe(true);
    const all = lines.join('');
    expect(all).not.toContain('guess-');
    expect(all).not.toContain(PASSWORD);
  });

  it('answers a body without a password with 400, not a failure', async () => {
    const answer = await server.raw('POST', '/api/login', { body: '{"pass": 1}' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error.code).toBe('REQUEST_INVALID');
  });
});
