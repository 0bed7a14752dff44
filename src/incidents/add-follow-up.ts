import type { Services } from '../boxes/services.js';
import type { LiveEvents } from '../util/live-events.js';
import type { FollowUp, FollowUpOwner } from './follow-up.js';
import { MAX_FOLLOW_UP_TEXT } from './follow-up.js';

export interface NewFollowUpInput {
  text: string;
  owner?: FollowUpOwner;
  actor: string;
  /** Given by callers that may retry (a chat event id), so a retry adds nothing twice. */
  id?: string;
}

/**
 * Adds an action item to an incident, with its timeline line, in one transaction: the follow-up
 * and the line that says who added it are never one without the other.
 */
export async function addFollowUp(services: Services, live: LiveEvents, incidentId: string, input: NewFollowUpInput): Promise<FollowUp> {
  const text = input.text.replace(/\s+/g, ' ').trim().slice(0, MAX_FOLLOW_UP_TEXT);
  if (!text) throw new Error('a follow-up needs some text');
  const id = input.id ?? services.newId();
  const now = services.clock.now().toISOString();
  const owner = input.owner ? { ...input.owner, name: input.owner.name.trim().slice(0, 80) } : undefined;
  const { followUp, entry } = await services.store.transaction(async (tx) => {
    const followUp = await tx.addFollowUp({ id, incidentId, text, ...(owner?.name ? { owner } : {}), createdBy: input.actor, createdAt: now });
    const entry = await tx.addTimeline({
      id: `follow-up:${followUp.id}`,
      incidentId,
      at: followUp.createdAt,
      kind: 'note',
      actor: followUp.createdBy,
      text: `Follow-up: ${followUp.text}${followUp.owner ? ` (owner: ${followUp.owner.name})` : ''}`,
      data: { followUpId: followUp.id, ...(followUp.owner ? { owner: followUp.owner } : {}) },
    });
    return { followUp, entry };
  });
  live.emit('timeline', entry);
  return followUp;
}
