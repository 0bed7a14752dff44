import { describe, expect, it } from 'vitest';
import { parseRoute, hrefOf } from '../../web/src/router.js';
import { threadMessages, upsertMessage, upsertTimeline } from '../../web/src/incidents/room-state.js';
import { formatAge } from '../../web/src/incidents/format-time.js';
import type { RoomMessage, TimelineEntry } from '../../web/src/api/types.js';

describe('routes', () => {
  it('round-trips every route and survives junk', () => {
    for (const route of [
      { page: 'incidents' },
      { page: 'incident', id: '42' },
      { page: 'flows' },
      { page: 'flow', id: 'db page' },
      { page: 'playbooks' },
      { page: 'playbooks', id: 'mysql-replication' },
    ] as const) {
      expect(parseRoute(hrefOf(route))).toEqual(route.page === 'playbooks' && !('id' in route) ? { page: 'playbooks', id: undefined } : route);
    }
    expect(parseRoute('#/flows/%E0%A4%A')).toEqual({ page: 'flow', id: '%E0%A4%A' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'incidents' });
    expect(parseRoute('')).toEqual({ page: 'incidents' });
    expect(parseRoute('#/incidents/<script>')).toEqual({ page: 'incident', id: '<script>' });
  });
});

const message = (id: string, seq: number, extra: Partial<RoomMessage> = {}): RoomMessage => ({
  id,
  seq,
  channel: 'c1',
  userId: 'u',
  userName: 'u',
  text: id,
  at: `2026-01-01T00:00:0${seq}.000Z`,
  fromBot: false,
  ...extra,
});

describe('room state', () => {
  it('keeps messages in sequence and replaces edits', () => {
    let list = upsertMessage([], message('b', 2));
    list = upsertMessage(list, message('a', 1));
    list = upsertMessage(list, { ...message('b', 2), text: 'edited' });
    expect(list.map((item) => `${item.id}:${item.text}`)).toEqual(['a:a', 'b:edited']);
  });

  it('threads replies under their parent; orphans stand alone; other channels are left out', () => {
    const list = [message('p', 1), message('r1', 2, { threadId: 'p' }), message('r2', 3, { threadId: 'gone' }), message('x', 4, { channel: 'c2' })];
    const threads = threadMessages(list, 'c1');
    expect(threads.map((thread) => [thread.message.id, thread.replies.map((reply) => reply.id)])).toEqual([
      ['p', ['r1']],
      ['r2', []],
    ]);
  });

  it('adds timeline entries once in time order', () => {
    const entry = (id: string, at: string): TimelineEntry => ({ id, incidentId: 'i', at, kind: 'note', actor: 'a', text: id });
    let list = upsertTimeline([], entry('2', '2026-01-01T00:00:02Z'));
    list = upsertTimeline(list, entry('1', '2026-01-01T00:00:01Z'));
    list = upsertTimeline(list, entry('1', '2026-01-01T00:00:01Z'));
    expect(list.map((item) => item.id)).toEqual(['1', '2']);
  });

  it('formats ages', () => {
    const now = new Date('2026-01-02T03:04:05Z');
    expect(formatAge('2026-01-02T03:04:00Z', now)).toBe('5s');
    expect(formatAge('2026-01-02T02:00:05Z', now)).toBe('1h 4m');
    expect(formatAge('2025-12-31T03:04:05Z', now)).toBe('2d');
    expect(formatAge('not a date', now)).toBe('?');
    expect(formatAge('2030-01-01T00:00:00Z', now)).toBe('0s');
  });
});

describe('graph images among alert links', async () => {
  const { graphImagesOf } = await import('../../web/src/incidents/graph-links.js');
  const alert = (links: { title: string; url: string }[]) => ({ links }) as never;
  it('keeps http(s) image links once, and nothing else', () => {
    const images = graphImagesOf([
      alert([
        { title: 'Graph snapshot', url: 'https://p.example/snap/a.png' },
        { title: 'Monitor', url: 'https://app.example/monitors/1' },
        { title: 'evil', url: 'javascript:alert(1)//.png' },
        { title: 'data', url: 'data:image/png;base64,AAAA' },
        { title: 'again', url: 'https://p.example/snap/a.png' },
      ]),
      alert([{ title: '', url: 'http://grafana.example/render/b.JPG?width=800' }]),
    ]);
    expect(images).toEqual([
      { title: 'Graph snapshot', url: 'https://p.example/snap/a.png' },
      { title: 'graph', url: 'http://grafana.example/render/b.JPG?width=800' },
    ]);
    expect(graphImagesOf([alert(Array.from({ length: 20 }, (_, i) => ({ title: 't', url: `https://x.example/${i}.png` })))])).toHaveLength(4);
  });
});

describe('channels the flows posted to', async () => {
  const { postedChannelsOf } = await import('../../web/src/incidents/posted-channels.js');
  const entry = (kind: string, data?: Record<string, unknown>) => ({ id: kind, incidentId: 'i', at: '', kind, actor: 'sidekick', text: '', data }) as TimelineEntry;
  it('finds message channels the incident does not list, once, ignoring odd data', () => {
    const incident = { channels: [{ id: 'own', name: 'inc-1', adapter: 'room', role: 'incident' }] } as never;
    const found = postedChannelsOf(incident, [
      entry('message', { channel: 'team' }),
      entry('message', { channel: 'own' }),
      entry('message', { channel: 'team' }),
      entry('command', { channel: 'elsewhere' }),
      entry('message', { channel: 42 }),
      entry('message'),
      entry('message', { channel: 'payments' }),
    ]);
    expect(found).toEqual(['team', 'payments']);
  });
});
