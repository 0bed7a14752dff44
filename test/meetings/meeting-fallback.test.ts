import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeZoom, type FakeZoom } from '../fakes/zoom/fake-zoom.js';
import { createMeetings } from '../../src/meetings/create-meetings.js';
import { meetingBox } from '../../src/boxes/meeting.js';
import type { BoxContext } from '../../src/boxes/box-type.js';
import type { TimelineEntry } from '../../src/incidents/incident.js';

/** Just enough of a box context to run the meeting box against real providers. */
function contextFor(services: Record<string, unknown>, timeline: Partial<TimelineEntry>[], attempts = 0) {
  return {
    task: { id: 'task-1', attempts },
    settings: { topic: 'MySQL replication lag' },
    incident: { id: 'inc_1', title: 'MySQL replication lag', channels: [] },
    idempotencyKey: 'task-1',
    services: { ...services, incidents: { update: async () => ({}) } },
    setting: () => 'MySQL replication lag',
    timeline: async (entry: Partial<TimelineEntry>) => void timeline.push(entry),
  } as unknown as BoxContext<{ topic: string }>;
}

describe('the meeting box with Zoom configured', () => {
  let zoom: FakeZoom;
  const env = () => ({ ZOOM_ACCOUNT_ID: 'acct-123', ZOOM_CLIENT_ID: 'client-abc', ZOOM_CLIENT_SECRET: 'shhh-client-secret', ZOOM_API_URL: `${zoom.url}/v2`, ZOOM_OAUTH_URL: zoom.url });
  beforeEach(async () => (zoom = await startFakeZoom()));
  afterEach(() => zoom.close());

  it('creates a Zoom meeting when Zoom works', async () => {
    const timeline: Partial<TimelineEntry>[] = [];
    const result = await meetingBox.run(contextFor(createMeetings({}, { env: env(), jitsiSecret: 's' }), timeline));
    expect(result).toMatchObject({ done: { port: 'next', output: { provider: 'zoom' } } });
    expect(timeline.map((e) => e.kind)).toEqual(['meeting']);
  });

  it('retries a rate-limited Zoom through the engine, then falls back to Jitsi and says so on the timeline', async () => {
    const limit = { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' };
    const timeline: Partial<TimelineEntry>[] = [];
    const meetings = createMeetings({}, { env: env(), jitsiSecret: 's' });
    // The first runs give the job back (retryable, nothing on the timeline yet)…
    for (const attempts of [0, 1]) {
      zoom.failNext(1, 429, limit);
      await expect(meetingBox.run(contextFor(meetings, timeline, attempts))).rejects.toMatchObject({ code: 'MEETING_RATE_LIMITED' });
    }
    expect(timeline).toEqual([]);
    // …the last one falls back.
    zoom.failNext(1, 429, limit);
    const result = (await meetingBox.run(contextFor(meetings, timeline, 2))) as { done: { output: { provider: string; join_url: string } } };
    expect(result.done.output.provider).toBe('jitsi');
    expect(result.done.output.join_url).toMatch(/^https:\/\/meet\.jit\.si\/mysql-replication-lag-[a-z2-7]{26}$/);
    expect(timeline[0]).toMatchObject({ kind: 'failure' });
    expect(timeline[0].text).toContain('MEETING_RATE_LIMITED');
    expect(timeline[0].text).not.toContain('shhh-client-secret');
  });

  it('falls back when the Zoom credentials are wrong', async () => {
    const timeline: Partial<TimelineEntry>[] = [];
    const result = (await meetingBox.run(contextFor(createMeetings({}, { env: { ...env(), ZOOM_CLIENT_SECRET: 'wrong' }, jitsiSecret: 's' }), timeline))) as { done: { output: { provider: string } } };
    expect(result.done.output.provider).toBe('jitsi');
    expect(timeline[0].text).toContain('MEETING_AUTH_FAILED');
  });
});
