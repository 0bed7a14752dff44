/** What a person marked: a decision taken, or a key moment of the incident (the turning points). */
export const MOMENT_KINDS = ['decision', 'key-moment'] as const;
export type MomentKind = (typeof MOMENT_KINDS)[number];

/** Where a marked moment came from: a chat message, or words typed straight in (`/sidekick decision`). */
export interface MomentMessage {
  /** The chat adapter (`room`, `slack`, `teams`) and the message's place in it. */
  adapter: string;
  channel: string;
  id: string;
  /** Who wrote the message (not necessarily who marked it). */
  author: string;
  /** When the message was written. */
  at: string;
}

/** A decision or key moment of an incident; the report's "Decisions" and "Key moments" are these. */
export interface Moment {
  id: string;
  incidentId: string;
  kind: MomentKind;
  text: string;
  message?: MomentMessage;
  markedBy: string;
  markedAt: string;
}

/** The longest text kept for a moment (a long message is cut, the chat keeps the rest). */
export const MAX_MOMENT_TEXT = 3000;

/** Reads `decision`, `key-moment` (and `key moment`, `moment`) as a kind; undefined for anything else. */
export function momentKindOf(value: string): MomentKind | undefined {
  const word = value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  if (word === 'decision') return 'decision';
  if (word === 'key-moment' || word === 'moment') return 'key-moment';
  return undefined;
}
