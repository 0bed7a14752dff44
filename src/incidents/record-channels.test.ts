import { expect, it, vi } from 'vitest';
import { describeEachStore } from '../store/testing/describe-each-store.js';
import { newIncident } from '../store/testing/fixtures.js';
import { LiveEvents } from '../util/live-events.js';
import { FakeClock } from '../util/clock.js';
import { IncidentService } from './incident-service.js';
import type { Incident, IncidentChannel } from './incident.js';
import type { Services } from '../boxes/services.js';
import type { Engine } from '../engine/engine.js';
import type { FlowCatalog } from '../flows/flow-catalog.js';
import type { GroupingOptions } from './grouping.js';

await describeEachStore('record-channels', ({ store }) => {
  const service = (live: LiveEvents) =>
    new IncidentService({ store: store(), clock: new FakeClock(), newId: () => crypto.randomUUID() } as unknown as Services, {} as Engine, () => ({}) as FlowCatalog, live, {} as GroupingOptions);
  const team = (id: string): IncidentChannel => ({ adapter: 'room', id, name: `team-${id}`, role: 'broadcast' });

  it('records a channel the held incident already lists with no read and no write', async () => {
    const created = await store().createIncident({ ...newIncident(), channels: [team('A')] });
    const live = new LiveEvents();
    const heard: Incident[] = [];
    live.on('incident', (incident) => heard.push(incident));
    const addChannels = vi.spyOn(store(), 'addIncidentChannels');
    const read = vi.spyOn(store(), 'getIncident');
    const transaction = vi.spyOn(store(), 'transaction');
    try {
      await service(live).recordChannels(created, [team('A')]);
      expect(addChannels).not.toHaveBeenCalled();
      expect(read).not.toHaveBeenCalled();
      expect(transaction).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
    expect(heard).toEqual([]);
    expect(await store().getIncident(created.id)).toEqual(created);
  });

  it('records a new channel in one insert, without a transaction or a version bump, and tells live views', async () => {
    const created = await store().createIncident(newIncident());
    const live = new LiveEvents();
    const heard: Incident[] = [];
    live.on('incident', (incident) => heard.push(incident));
    const transaction = vi.spyOn(store(), 'transaction');
    const update = vi.spyOn(store(), 'updateIncident');
    try {
      await service(live).recordChannels(created, [team('B')]);
      expect(transaction).not.toHaveBeenCalled();
      expect(update).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
    const stored = (await store().getIncident(created.id))!;
    expect(stored.channels).toEqual([team('B')]);
    expect(stored.version).toBe(created.version);
    expect(heard).toEqual([stored]);
    // The same held copy again (a retried box): the key keeps one row, and nobody hears of it twice.
    await service(live).recordChannels(created, [team('B')]);
    expect((await store().getIncident(created.id))!.channels).toEqual([team('B')]);
    expect(heard).toHaveLength(1);
  });

  it('keeps every channel two runs record at once from the same held copy', async () => {
    const created = await store().createIncident(newIncident());
    const live = new LiveEvents();
    await Promise.all([service(live).recordChannels(created, [team('C'), team('D')]), service(live).recordChannels(created, [team('D'), team('E')])]);
    expect((await store().getIncident(created.id))!.channels.map((channel) => channel.id).sort()).toEqual(['C', 'D', 'E']);
  });
});
