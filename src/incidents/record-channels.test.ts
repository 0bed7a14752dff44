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
  /** Live views that keep every incident they hear of. */
  const listening = () => {
    const live = new LiveEvents();
    const heard: Incident[] = [];
    live.on('incident', (incident) => heard.push(incident));
    return { live, heard };
  };
  /** Runs `act` with these store methods watched, and names the ones it called. */
  const storeCallsDuring = async (act: () => Promise<unknown>, ...methods: ('addIncidentChannels' | 'getIncident' | 'transaction' | 'updateIncident')[]) => {
    const spies = methods.map((method) => [method, vi.spyOn(store(), method)] as const);
    try {
      await act();
      return spies.filter(([, spy]) => spy.mock.calls.length > 0).map(([method]) => method);
    } finally {
      vi.restoreAllMocks();
    }
  };

  it('records a channel the held incident already lists with no read and no write', async () => {
    const created = await store().createIncident({ ...newIncident(), channels: [team('A')] });
    const { live, heard } = listening();
    expect(await storeCallsDuring(() => service(live).recordChannels(created, [team('A')]), 'addIncidentChannels', 'getIncident', 'transaction')).toEqual([]);
    expect(heard).toEqual([]);
    expect(await store().getIncident(created.id)).toEqual(created);
  });

  it('records a new channel in one insert, without a transaction or a version bump, and tells live views', async () => {
    const created = await store().createIncident(newIncident());
    const { live, heard } = listening();
    expect(await storeCallsDuring(() => service(live).recordChannels(created, [team('B')]), 'transaction', 'updateIncident')).toEqual([]);
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
