import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestSidekick } from './test-sidekick.js';

/** An example alert of examples/alerts, as the monitor would send it. */
export const exampleAlert = (name: string): string => readFileSync(join(import.meta.dirname, '../../examples/alerts', name), 'utf8');

/**
 * Fires the bundled story's Datadog alert and waits until its incident has a channel in the
 * built-in room: the incident's id and that channel.
 */
export async function openStoryIncident(sidekick: TestSidekick): Promise<{ incidentId: string; channel: string }> {
  await sidekick.post('/webhooks/datadog', exampleAlert('datadog-mysql-replication-lag.json'));
  const incident = await sidekick.until(async () => {
    const first = (await sidekick.get('/api/incidents')).body.incidents[0];
    return first?.channels.some((c: any) => c.adapter === 'room' && c.role === 'incident') ? first : undefined;
  });
  return { incidentId: incident.id, channel: incident.channels.find((c: any) => c.role === 'incident').id };
}
