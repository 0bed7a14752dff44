import type { Services } from '../boxes/services.js';
import type { Job } from '../store/store.js';
import type { JobOutcome } from '../engine/engine.js';
import { escapeChatText } from '../templates/render.js';
import type { IncidentTransition } from './incident-transition.js';

/**
 * A stakeholder update as one transition: the `update` line on the timeline and the `update` job
 * that posts it, in the same commit, so a crash or a chat outage after the line is written never
 * loses the posts (the job is retried) and never doubles them (each post is keyed by line and channel).
 */
export function decideUpdate(input: { incidentId: string; entryId: string; text: string; actor: string; now: string }): IncidentTransition {
  const { incidentId, entryId, text, actor, now } = input;
  return {
    incidentId,
    timeline: [{ id: entryId, at: now, kind: 'update', actor, text: `Update: ${text}`, data: { update: true } }],
    jobs: [{ kind: 'update', payload: { incidentId, entryId, text, actor }, runAt: now, queue: `incident:${incidentId}`, uniqueKey: `update:${entryId}` }],
  };
}

/** Handles one `update` job: posts the update to every channel of the incident, once per channel. */
export async function handleUpdateJob(services: Services, job: Job): Promise<JobOutcome> {
  const { incidentId, entryId, text, actor } = job.payload as { incidentId: string; entryId: string; text: string; actor: string };
  const incident = await services.store.getIncident(incidentId);
  if (!incident) return;
  const body = `📣 *Update on INC-${incident.number}* (${incident.status}) from ${escapeChatText(actor)}: ${escapeChatText(text)}`;
  for (const channel of incident.channels) {
    const chat = channel.adapter === services.chat.name ? services.chat : services.chats?.[channel.adapter];
    await chat?.post(channel.id, { text: body, blocks: [{ type: 'text', text: body }] }, `${entryId}:${channel.id}`);
  }
}
