import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeZoom, type FakeZoom } from '../fakes/zoom/fake-zoom.js';
import { ZoomMeetings } from '../../src/meetings/zoom.js';
import { MeetingError } from '../../src/meetings/meeting-error.js';
import { FakeClock } from '../../src/util/clock.js';

/** An in-memory stand-in for the store's effect table. */
function effects() {
  const map = new Map<string, unknown>();
  return {
    map,
    getEffect: async (key: string) => map.get(key),
    putEffect: async (key: string, value: unknown) => !map.has(key) && Boolean(map.set(key, value)),
  };
}

describe('ZoomMeetings against the fake Zoom', () => {
  let zoom: FakeZoom;
  let clock: FakeClock;
  const creds = { accountId: 'acct-123', clientId: 'client-abc', clientSecret: 'shhh-client-secret' };
  const make = (extra: Partial<ConstructorParameters<typeof ZoomMeetings>[0]> = {}) => new ZoomMeetings({ ...creds, apiUrl: `${zoom.url}/v2`, oauthUrl: zoom.url, now: () => clock.now(), ...extra });

  beforeEach(async () => {
    zoom = await startFakeZoom();
    clock = new FakeClock('2026-01-01T04:00:00Z');
  });
  afterEach(() => zoom.close());

  it('creates a scheduled meeting that lets people in before the host', async () => {
    const meeting = await make().create({ title: 'MySQL replication lag on db-7', incidentId: 'inc-1' }, 'task-1');
    expect(meeting.provider).toBe('zoom');
    expect(meeting.joinUrl).toMatch(/^https:\/\/us02web\.zoom\.us\/j\/\d+\?pwd=/);
    expect(meeting.id).toBe(String(zoom.meetings[0].id));
    expect(zoom.meetings[0]).toMatchObject({ topic: 'MySQL replication lag on db-7', type: 2, settings: { join_before_host: true } });
    expect(zoom.grantPlaces).toEqual(['body']);
  });

  it('caches the token until shortly before it expires, then fetches a new one', async () => {
    const provider = make();
    await provider.create({ title: 'a', incidentId: 'i' }, 'k1');
    await provider.create({ title: 'b', incidentId: 'i' }, 'k2');
    expect(zoom.tokenRequests).toBe(1);
    clock.advance(3599_000 - 61_000); // still more than a minute left
    await provider.create({ title: 'c', incidentId: 'i' }, 'k3');
    expect(zoom.tokenRequests).toBe(1);
    clock.advance(2_000); // inside the last minute: refresh before Zoom would refuse it
    await provider.create({ title: 'd', incidentId: 'i' }, 'k4');
    expect(zoom.tokenRequests).toBe(2);
  });

  it('shares one token request between concurrent creations', async () => {
    const provider = make();
    await Promise.all([1, 2, 3, 4, 5].map((n) => provider.create({ title: `t${n}`, incidentId: 'i' }, `k${n}`)));
    expect(zoom.tokenRequests).toBe(1);
    expect(zoom.meetings).toHaveLength(5);
  });

  it('refreshes the token once when Zoom says it is invalid before its expiry', async () => {
    const provider = make();
    await provider.create({ title: 'a', incidentId: 'i' }, 'k1');
    zoom.expireTokens();
    const meeting = await provider.create({ title: 'b', incidentId: 'i' }, 'k2');
    expect(meeting.joinUrl).toContain('zoom.us/j/');
    expect(zoom.tokenRequests).toBe(2);
  });

  it('gives up after one refresh if Zoom keeps refusing the token', async () => {
    const provider = make();
    zoom.failNext(5, 401, { code: 124, message: 'Invalid access token.' });
    const error = await provider.create({ title: 'b', incidentId: 'i' }, 'k2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingError);
    expect((error as MeetingError).code).toBe('MEETING_AUTH_FAILED');
    expect(zoom.tokenRequests).toBe(2);
  });

  it('surfaces wrong credentials as MEETING_AUTH_FAILED without the secret', async () => {
    const error = (await make({ clientSecret: 'wrong-secret-value' })
      .create({ title: 't', incidentId: 'i' }, 'k')
      .catch((e: unknown) => e)) as MeetingError;
    expect(error.code).toBe('MEETING_AUTH_FAILED');
    expect(error.message).toContain('Invalid client_id or client_secret');
    expect(error.message).not.toContain('wrong-secret-value');
    expect(error.message).toContain('ZOOM_CLIENT_SECRET');
  });

  it('turns rate limits, validation failures, unknown users and outages into coded errors', async () => {
    const provider = make();
    zoom.failNext(1, 429, { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' }, { 'retry-after': '2' });
    const limited = (await provider.create({ title: 't', incidentId: 'i' }, 'k1').catch((e: unknown) => e)) as MeetingError;
    expect(limited.code).toBe('MEETING_RATE_LIMITED');
    expect(limited.details.retryAfterMs).toBe(2000);

    const unknownUser = await make({ userId: 'nobody' })
      .create({ title: 't', incidentId: 'i' }, 'k2')
      .catch((e: unknown) => e);
    expect((unknownUser as MeetingError).code).toBe('MEETING_REJECTED');
    expect((unknownUser as MeetingError).message).toContain('User does not exist');

    zoom.failNext(1, 503, { code: 503, message: 'Service unavailable' });
    expect(((await provider.create({ title: 't', incidentId: 'i' }, 'k3').catch((e: unknown) => e)) as MeetingError).code).toBe('MEETING_UNAVAILABLE');

    await zoom.close();
    const down = (await make()
      .create({ title: 't', incidentId: 'i' }, 'k4')
      .catch((e: unknown) => e)) as MeetingError;
    expect(down.code).toBe('MEETING_UNAVAILABLE');
    zoom = await startFakeZoom(); // for afterEach
  });

  it('keeps hostile titles inside Zoom limits', async () => {
    const title = `$(rm -rf /); \`id\` {{ secret }} ${'🔥'.repeat(300)}`;
    await make().create({ title, incidentId: 'i' }, 'k');
    expect(Array.from(zoom.meetings[0].topic).length).toBeLessThanOrEqual(200);
    expect(zoom.meetings[0].topic.startsWith('$(rm -rf /)')).toBe(true);
  });

  it('returns the first meeting for a repeated idempotency key, also across instances sharing a store', async () => {
    const store = effects();
    const first = await make({ store }).create({ title: 't', incidentId: 'i' }, 'task-7');
    const again = await make({ store }).create({ title: 't', incidentId: 'i' }, 'task-7');
    const concurrent = make();
    const [a, b] = await Promise.all([concurrent.create({ title: 't', incidentId: 'i' }, 'x'), concurrent.create({ title: 't', incidentId: 'i' }, 'x')]);
    expect(again).toEqual(first);
    expect(a).toEqual(b);
    expect(zoom.meetings).toHaveLength(2);
  });

  it('refuses to start without credentials and says which variables to set', () => {
    expect(() => new ZoomMeetings({ accountId: '', clientId: 'x', clientSecret: 'y' })).toThrow(/ZOOM_ACCOUNT_ID/);
  });
});
