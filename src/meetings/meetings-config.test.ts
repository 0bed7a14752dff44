import { describe, expect, it } from 'vitest';
import { readMeetingsConfig } from './meetings-config.js';
import { createMeetings } from './create-meetings.js';
import { JitsiMeetings } from './jitsi.js';
import { ZoomMeetings } from './zoom.js';

const zoomEnv = { ZOOM_ACCOUNT_ID: 'a', ZOOM_CLIENT_ID: 'b', ZOOM_CLIENT_SECRET: 'c', ZOOM_API_URL: 'http://127.0.0.1:9/v2' };

describe('meetings configuration', () => {
  it('defaults to Jitsi on meet.jit.si without Zoom credentials', () => {
    const config = readMeetingsConfig(undefined, {});
    expect(config.provider).toBe('jitsi');
    expect(config.jitsi.domain).toBe('meet.jit.si');
    const { meetings, fallbackMeetings } = createMeetings(config, { env: {} });
    expect(meetings).toBeInstanceOf(JitsiMeetings);
    expect(fallbackMeetings).toBe(meetings);
  });

  it('accepts the raw section as well as a parsed one', () => {
    expect(createMeetings(undefined, { env: {} }).meetings).toBeInstanceOf(JitsiMeetings);
    expect(createMeetings({}, { env: zoomEnv }).meetings).toBeInstanceOf(ZoomMeetings);
  });

  it('picks Zoom when all ZOOM_* credentials are in the environment, with Jitsi as fallback', () => {
    const config = readMeetingsConfig({}, zoomEnv);
    expect(config.provider).toBe('zoom');
    expect(config.zoom).toMatchObject({ accountId: 'a', apiUrl: 'http://127.0.0.1:9/v2', oauthUrl: 'https://zoom.us', userId: 'me' });
    const { meetings, fallbackMeetings } = createMeetings(config, { env: {} });
    expect(meetings).toBeInstanceOf(ZoomMeetings);
    expect(fallbackMeetings).toBeInstanceOf(JitsiMeetings);
  });

  it('lets the file choose Jitsi even when Zoom is configured, and the file wins over the environment', () => {
    expect(readMeetingsConfig({ provider: 'jitsi' }, zoomEnv).provider).toBe('jitsi');
    expect(readMeetingsConfig({ zoom: { apiUrl: 'https://zoom.example/v2' } }, zoomEnv).zoom.apiUrl).toBe('https://zoom.example/v2');
  });

  it('names the missing variables when Zoom is chosen without credentials', () => {
    expect(() => createMeetings(readMeetingsConfig({ provider: 'zoom' }, {}), { env: {} })).toThrow(/ZOOM_ACCOUNT_ID/);
    expect(() => createMeetings({ provider: 'zoom' }, { env: {} })).toThrow(/ZOOM_ACCOUNT_ID/);
  });

  it('rejects unknown providers, unknown keys and non-http URLs', () => {
    expect(() => readMeetingsConfig({ provider: 'teams' }, {})).toThrow();
    expect(() => readMeetingsConfig({ jitsi: { domian: 'x' } }, {})).toThrow();
    expect(() => readMeetingsConfig({ zoom: { apiUrl: 'file:///etc/passwd' } }, {})).toThrow();
  });
});
