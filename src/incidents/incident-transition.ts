import type { Incident, IncidentChannel, TimelineEntry } from './incident.js';
import type { IncidentPatch, NewJob } from '../store/store.js';
import type { RunStart } from '../engine/start-run.js';

/** A timeline line a transition writes; an `id` makes it written once whatever happens. */
export type NewTimelineLine = Omit<TimelineEntry, 'id' | 'incidentId'> & { id?: string; incidentId?: string };

/**
 * One change of an incident, decided purely from its state, an event and the time, and committed
 * by `applyIncidentTransition` in one transaction. Its follow-up work is in `jobs` (the outbox):
 * an event reaches waiting boxes and flows only through a job written in the same commit.
 */
export interface IncidentTransition {
  /** A new incident (its id derived from what opened it, so a retry recognises it). */
  create?: Omit<Incident, 'number' | 'version'>;
  /**
   * A change of an existing incident, applied only at the version it was decided on; without a
   * version, whatever the version (a change that stays right on any newer state).
   */
  patch?: { id: string; version?: number; changes: IncidentPatch };
  /** The incident the rest applies to when neither `create` nor `patch` names it. */
  incidentId?: string;
  responders?: string[];
  channels?: { add: IncidentChannel[]; replaceRole?: { adapter: string; role: IncidentChannel['role'] } };
  /**
   * The storm guard, checked again inside the commit: when `source` has opened `max` incidents
   * since `since` by then, the transition is refused (STORE_VERSION_CONFLICT) and decided again.
   */
  openGuard?: { source: string; since: string; max: number };
  /** Alerts that join this incident. */
  linkAlerts?: string[];
  /** A storm's group that moves to this (new) incident: `from` is the storm. */
  moveGroup?: { from: string; groupKey: string };
  timeline?: NewTimelineLine[];
  jobs?: NewJob[];
  /**
   * Flow runs that start with this change: each run, its start tasks and their jobs are written in
   * the same commit (a run whose trigger key already ran is left alone).
   */
  runs?: RunStart[];
}

/** What a committed transition wrote: the incident as it now is, and its new timeline lines. */
export interface AppliedTransition {
  incident: Incident;
  timeline: TimelineEntry[];
  /** Alerts moved by `moveGroup`. */
  movedAlerts: string[];
  /** What was applied. */
  transition: IncidentTransition;
}

/** The id of the incident a transition is about. */
export function transitionIncidentId(transition: IncidentTransition): string {
  const id = transition.create?.id ?? transition.patch?.id ?? transition.incidentId;
  if (!id) throw new Error('an incident transition must create, patch or name an incident');
  return id;
}
