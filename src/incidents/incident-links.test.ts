import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../web/src/router.js';
import { buildScope } from '../flows/build-scope.js';
import { incidentReportUrl, incidentUrl, roomChannelUrl } from './incident-links.js';

describe('incident links', () => {
  it('open the incident in the web UI, which routes by the location hash', () => {
    const url = incidentUrl('https://sidekick.example.com/', 'inc_1');
    expect(url).toBe('https://sidekick.example.com/#/incidents/inc_1');
    expect(parseRoute(new URL(url).hash)).toEqual({ page: 'incident', id: 'inc_1' });
  });

  it('escape ids for the URL', () => {
    const url = incidentUrl('https://s.example', 'a/b?c#d');
    expect(url).toBe('https://s.example/#/incidents/a%2Fb%3Fc%23d');
    expect(parseRoute(new URL(url).hash)).toEqual({ page: 'incident', id: 'a/b?c#d' });
  });

  it('give the report and the room channels their own addresses', () => {
    expect(incidentReportUrl('https://s.example//', 'inc_1')).toBe('https://s.example/api/incidents/inc_1/report');
    const channel = roomChannelUrl('https://s.example', 'ch 1');
    expect(parseRoute(new URL(channel).hash)).toEqual({ page: 'channel', id: 'ch 1' });
  });

  it('are what flows see as incident.url (the "Incident room" link posted to other teams)', () => {
    const scope = buildScope({
      flow: { id: 'f', vars: {} },
      incident: { id: 'inc_9' } as never,
      tasks: [],
      now: new Date(0),
      publicUrl: 'https://sidekick.example.com',
    }) as { incident: { url: string } };
    expect(parseRoute(new URL(scope.incident.url).hash)).toEqual({ page: 'incident', id: 'inc_9' });
  });
});
