import type { ChatButton } from '../chat/chat.js';

/** Signed button values that acknowledge an incident start with this (never a task id: those are UUIDs). */
export const ACK_BUTTON_PREFIX = 'ack|';

/** The *Acknowledge* button for an incident's first message; its value is signed, so it cannot be forged for another incident. */
export function ackButton(signer: { sign(payload: string): string }, incidentId: string): ChatButton {
  return { label: 'Acknowledge', value: signer.sign(`${ACK_BUTTON_PREFIX}${incidentId}`), style: 'primary' };
}
