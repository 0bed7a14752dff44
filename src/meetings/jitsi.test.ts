import { describe, expect, it } from 'vitest';
import { JitsiMeetings, roomToken } from './jitsi.js';
import { MeetingError } from './meeting-error.js';

describe('JitsiMeetings', () => {
  it('builds a URL-safe room with a readable slug and 130 random bits', async () => {
    const m = await new JitsiMeetings({ secret: 's' }).create({ title: 'MySQL replication lag on db-7!', incidentId: 'i' }, 'task-1');
    expect(m.provider).toBe('jitsi');
    expect(m.joinUrl).toBe(`https://meet.jit.si/${m.id}`);
    expect(m.id).toMatch(/^mysql-replication-lag-on-db-7-[a-z2-7]{26}$/);
  });

  it('returns the same room for the same key, also after a restart with the same secret', async () => {
    const a = await new JitsiMeetings({ secret: 'stable' }).create({ title: 't', incidentId: 'i' }, 'k');
    const b = await new JitsiMeetings({ secret: 'stable' }).create({ title: 't', incidentId: 'i' }, 'k');
    const other = await new JitsiMeetings({ secret: 'stable' }).create({ title: 't', incidentId: 'i' }, 'k2');
    const otherSecret = await new JitsiMeetings({ secret: 'different' }).create({ title: 't', incidentId: 'i' }, 'k');
    expect(a).toEqual(b);
    expect(other.id).not.toBe(a.id);
    expect(otherSecret.id).not.toBe(a.id);
  });

  it('spreads tokens evenly (no constant characters across many rooms)', () => {
    const tokens = Array.from({ length: 200 }, (_, i) => roomToken('s', `k${i}`));
    expect(new Set(tokens).size).toBe(200);
    for (let pos = 0; pos < 26; pos++) expect(new Set(tokens.map((t) => t[pos])).size).toBeGreaterThan(10);
  });

  it('keeps hostile titles out of the URL', async () => {
    const titles = ['../../admin?x=1#frag', '"><script>alert(1)</script>', '$(curl evil) ; `id`', '   ', '💥💥', 'İstanbul ÇÖK %00 & :'];
    for (const title of titles) {
      const m = await new JitsiMeetings({ secret: 's' }).create({ title, incidentId: 'i' }, title);
      expect(m.id).toMatch(/^[a-z0-9-]+$/);
      expect(new URL(m.joinUrl).pathname).toBe(`/${m.id}`);
    }
  });

  it('accepts self-hosted domains and base URLs, and rejects anything else', async () => {
    expect((await new JitsiMeetings({ domain: 'jitsi.example.com:8443' }).create({ title: 'x', incidentId: 'i' }, 'k')).joinUrl).toMatch(/^https:\/\/jitsi\.example\.com:8443\/x-/);
    expect((await new JitsiMeetings({ domain: 'https://example.com/meet/' }).create({ title: 'x', incidentId: 'i' }, 'k')).joinUrl).toMatch(/^https:\/\/example\.com\/meet\/x-/);
    for (const domain of ['', 'user:pw@evil.com', 'evil.com/?q=1', 'javascript:alert(1)', 'a b']) {
      expect(() => new JitsiMeetings({ domain }), domain).toThrow(MeetingError);
    }
  });
});
