import { describe, expect, it } from 'vitest';
import { decideUpdate, handleUpdateJob } from './post-update.js';
import { anIncident } from './testing/an-incident.js';
import type { Services } from '../boxes/services.js';
import type { Job } from '../store/store.js';

describe('a stakeholder update', () => {
  it('is one transition: the timeline line and the job that posts it, keyed by the line', () => {
    const transition = decideUpdate({ incidentId: 'inc-1', entryId: 'line-7', text: 'Rolled back', actor: 'carol', now: '2026-01-01T04:30:00.000Z' });
    expect(transition.timeline).toEqual([{ id: 'line-7', at: '2026-01-01T04:30:00.000Z', kind: 'update', actor: 'carol', text: 'Update: Rolled back', data: { update: true } }]);
    expect(transition.jobs).toEqual([
      {
        kind: 'update',
        payload: { incidentId: 'inc-1', entryId: 'line-7', text: 'Rolled back', actor: 'carol' },
        runAt: '2026-01-01T04:30:00.000Z',
        queue: 'incident:inc-1',
        uniqueKey: 'update:line-7',
      },
    ]);
  });

  it('posts to every channel of the incident once, with a key per line and channel, escaping what people wrote', async () => {
    const posts: { channel: string; text: string; key?: string }[] = [];
    const chat = { name: 'slack', post: async (channel: string, message: { text: string }, key?: string) => void posts.push({ channel, text: message.text, key }) };
    const incident = anIncident({
      number: 42,
      channels: [
        { adapter: 'slack', id: 'C1', name: 'inc-42', role: 'incident' },
        { adapter: 'slack', id: 'C2', name: 'db-team', role: 'broadcast' },
      ],
    });
    const services = { chat, store: { getIncident: async () => incident } } as unknown as Services;
    const job = { payload: { incidentId: incident.id, entryId: 'line-7', text: '<!channel> *done*', actor: 'carol' } } as unknown as Job;
    await handleUpdateJob(services, job);
    expect(posts.map((p) => [p.channel, p.key])).toEqual([
      ['C1', 'line-7:C1'],
      ['C2', 'line-7:C2'],
    ]);
    expect(posts[0]!.text).toContain('Update on INC-42');
    expect(posts[0]!.text).not.toContain('<!channel>');
  });
});
