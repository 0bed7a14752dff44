import type { FollowUp, FollowUpRef } from '../../src/incidents/follow-up.js';

/** A follow-up of the tracker tests' incident, owned by `owner` when given, not filed anywhere yet. */
export const aFollowUp = (id: string, text: string, owner?: string): FollowUp => ({
  id,
  incidentId: 'inc_7f3c',
  text,
  ...(owner ? { owner: { name: owner } } : {}),
  createdBy: 'bob',
  createdAt: '2026-01-01T04:30:00.000Z',
  refs: [],
});

/** The request to file `followUp` under the report issue `parent` (`existing`: filed before, on a retry). */
export const aFollowUpRequest = (parent: FollowUpRef, followUp: FollowUp, existing?: FollowUpRef) => ({
  incidentId: 'inc_7f3c',
  incidentRef: 'INC-42',
  incidentUrl: 'https://sidekick.example/#/incidents/inc_7f3c',
  followUp,
  parent,
  existing,
});
