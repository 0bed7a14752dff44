import { sql } from 'kysely';
import pino from 'pino';
import { expect, it } from 'vitest';
import type { TimelineEntry } from '../../incidents/incident.js';
import { LiveEvents } from '../../util/live-events.js';
import { describeEachStore } from '../testing/describe-each-store.js';
import { relayLiveEvents } from './pg-live-relay.js';
import type { QueryContext } from '../query-context.js';
import { findTestDatabase, testDatabaseUrls } from '../testing/test-database-url.js';

const log = pino({ level: 'silent' });
const URL = (await findTestDatabase()) ?? testDatabaseUrls()[0];

await describeEachStore('live-relay', ({ store, target }) => {
  it.skipIf(target.dialect !== 'postgres')('relays events between instances, large ones by reference, never back to the sender', async () => {
    // Both relays on the test store's schema: the schema names the installation's channel.
    const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute((store() as unknown as QueryContext).db);
    const schema = rows[0]!.s;
    const a = new LiveEvents();
    const b = new LiveEvents();
    const relayA = await relayLiveEvents(a, { connectionString: URL, schema, store: store(), log });
    const relayB = await relayLiveEvents(b, { connectionString: URL, schema, store: store(), log });
    try {
      const atA: TimelineEntry[] = [];
      const atB: TimelineEntry[] = [];
      a.on('timeline', (entry) => atA.push(entry));
      b.on('timeline', (entry) => atB.push(entry));
      const incident = await store().createIncident({
        title: 'Relay',
        severity: 'high',
        status: 'open',
        groupKey: 'relay',
        labels: {},
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        responders: [],
        channels: [],
      } as never);
      const small = await store().addTimeline({ incidentId: incident.id, at: new Date().toISOString(), kind: 'note', actor: 'a', text: 'small' });
      // Far over PostgreSQL's 8000-byte NOTIFY limit: sent as a reference, read back from the store.
      const large = await store().addTimeline({ incidentId: incident.id, at: new Date().toISOString(), kind: 'note', actor: 'a', text: 'ü'.repeat(20_000) });
      a.emit('timeline', small);
      a.emit('timeline', large);
      for (let i = 0; i < 100 && atB.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(atB.map((entry) => entry.text.length)).toEqual([5, 20_000]);
      expect(atB[1]).toEqual(large);
      await new Promise((r) => setTimeout(r, 200));
      expect(atA).toHaveLength(2); // its own two, heard once each
    } finally {
      await relayA.close();
      await relayB.close();
    }
  });
});
