import type { Services } from '../boxes/services.js';
import type { Job } from '../store/store.js';
import type { JobOutcome } from '../engine/engine.js';
import type { Incident } from './incident.js';

/** The channel topic: the incident and who holds the roles, so anyone joining sees whom to ask. */
export function incidentTopic(incident: Incident): string {
  const ic = incident.roles?.commander?.name ?? 'unassigned';
  const comms = incident.roles?.communications?.name ?? 'unassigned';
  return `INC-${incident.number}: ${incident.title} · IC: ${ic} · Comms: ${comms}`;
}

/**
 * Handles one `topic` job: writes the current roles into the topic of every incident channel whose
 * chat has topics (Slack's topic, Teams' channel description). It reads the incident as it is now, so a late or repeated job writes
 * the latest roles, never older ones.
 */
export async function handleTopicJob(services: Services, job: Job): Promise<JobOutcome> {
  const { incidentId } = job.payload as { incidentId: string };
  const incident = await services.store.getIncident(incidentId);
  if (!incident) return;
  const topic = incidentTopic(incident);
  for (const channel of incident.channels.filter((c) => c.role === 'incident')) {
    const chat = channel.adapter === services.chat.name ? services.chat : services.chats?.[channel.adapter];
    await chat?.setTopic?.(channel.id, topic);
  }
}
