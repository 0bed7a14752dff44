import type { Services } from '../boxes/services.js';
import type { LiveEvents } from '../util/live-events.js';
import { messageKeyOf } from '../store/queries/moments.js';
import { MAX_MOMENT_TEXT, type Moment, type MomentKind, type MomentMessage } from './moment.js';

export interface MarkMomentInput {
  kind: MomentKind;
  text: string;
  /** The message marked; absent for words typed straight in (`/sidekick decision …`). */
  message?: MomentMessage;
  markedBy: string;
}

const LABELS: Record<MomentKind, string> = { decision: 'Decision', 'key-moment': 'Key moment' };

/**
 * Marks a decision or key moment with its timeline line, in one transaction. Marking the same
 * message again returns the first mark and adds no second line.
 */
export async function markMoment(services: Services, live: LiveEvents, incidentId: string, input: MarkMomentInput): Promise<Moment> {
  const text = input.text.trim().slice(0, MAX_MOMENT_TEXT) || '(no text)';
  const now = services.clock.now().toISOString();
  const { moment, entry } = await services.store.transaction(async (tx) => {
    const moment = await tx.addMoment({ id: services.newId(), incidentId, kind: input.kind, text, ...(input.message ? { message: input.message } : {}), markedBy: input.markedBy, markedAt: now });
    const said = moment.message && moment.message.author && moment.message.author !== moment.markedBy ? ` (said by ${moment.message.author})` : '';
    const entry = await tx.addTimeline({
      id: `moment:${moment.id}`,
      incidentId,
      at: moment.markedAt,
      kind: moment.kind,
      actor: moment.markedBy,
      text: `${LABELS[moment.kind]}: ${moment.text}${said}`,
      data: { momentId: moment.id, ...(moment.message ? { message: moment.message } : {}) },
    });
    return { moment, entry };
  });
  live.emit('timeline', entry);
  return moment;
}

/** Takes a mark back (a 📌 removed, the button pressed again); the timeline says so. */
export async function unmarkMoment(services: Services, live: LiveEvents, incidentId: string, input: { kind: MomentKind; message: MomentMessage; by: string }): Promise<Moment | undefined> {
  const now = services.clock.now().toISOString();
  const result = await services.store.transaction(async (tx) => {
    const removed = await tx.removeMoment(incidentId, input.kind, messageKeyOf({ id: '', message: input.message }));
    if (!removed) return undefined;
    const entry = await tx.addTimeline({
      id: `unmarked:${removed.id}`,
      incidentId,
      at: now,
      kind: 'note',
      actor: input.by,
      text: `No longer a ${LABELS[removed.kind].toLowerCase()}: ${removed.text}`,
      data: { momentId: removed.id, unmarked: true },
    });
    return { removed, entry };
  });
  if (result) live.emit('timeline', result.entry);
  return result?.removed;
}
