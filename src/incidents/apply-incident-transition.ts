import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { LiveEvents } from '../util/live-events.js';
import type { AppliedTransition, IncidentTransition } from './incident-transition.js';
import { transitionIncidentId } from './incident-transition.js';
import { StoreError } from '../store/store-error.js';
import { insertRun } from '../engine/start-run.js';
import { claimOnly, withHandoff, type JobHandoff } from '../engine/job-handoff.js';

/**
 * Commits one transition in ONE transaction: the incident (created, or patched at its version),
 * responders, channels, linked alerts, timeline lines and the jobs that carry its events on (the
 * outbox), and the flow runs it starts with their first task jobs. A crash before the commit leaves
 * nothing; after it, everything. Live views hear of it only after the commit. Throws StoreError STORE_VERSION_CONFLICT when the incident changed since
 * the decision (see `commitIncidentChange`), STORE_CONFLICT when its group already has one open.
 */
export async function applyIncidentTransition(
  store: Store,
  live: LiveEvents,
  transition: IncidentTransition,
  now: string,
  newId: () => string = randomUUID,
  handoff: () => JobHandoff = () => claimOnly(),
): Promise<AppliedTransition> {
  const id = transitionIncidentId(transition);
  // The runs' first task jobs may go to this process's worker leased, started as this commits.
  const jobs = handoff();
  const applied = await withHandoff(store, jobs, async (tx) => {
    const guard = transition.openGuard;
    if (guard) {
      // Concurrent alerts of different groups each counted below the limit; only one at a time
      // may open, and it counts again first.
      await tx.lockIncidentSource(guard.source);
      if ((await tx.countIncidentsOpenedBy(guard.source, guard.since)) >= guard.max) {
        throw new StoreError('STORE_VERSION_CONFLICT', `${guard.source} reached its storm limit meanwhile; deciding again`);
      }
    }
    const created = transition.create ? await tx.createIncident(transition.create) : undefined;
    const movedAlerts = transition.moveGroup ? await tx.moveGroupAlerts(transition.moveGroup.from, transition.moveGroup.groupKey, id) : [];
    let members = false;
    if (transition.responders?.length) members = (await tx.addIncidentResponders(id, transition.responders, now)).length > 0 || members;
    if (transition.channels) members = (await tx.addIncidentChannels(id, transition.channels.add, now, transition.channels.replaceRole)).length > 0 || members;
    for (const alertId of transition.linkAlerts ?? []) await tx.setAlertIncident(alertId, id);
    const timeline = [];
    for (const line of transition.timeline ?? []) timeline.push(await tx.addTimeline({ ...line, incidentId: line.incidentId ?? id }));
    for (const job of transition.jobs ?? []) await tx.enqueue(job);
    if (transition.jobs?.length) jobs.queued();
    for (const run of transition.runs ?? []) await insertRun(tx, id, run, now, newId, jobs);
    // The patch goes last: its version check also covers what was decided from the responders
    // and channels read with it. Members alone still bump the version, so live views refresh.
    // An incident created here with nothing added to it is as the insert returned it: live views
    // hear of it as new, and alerts linked to it change nothing on its row.
    const incident = transition.patch
      ? await tx.updateIncident(id, { ...transition.patch.changes, updatedAt: now }, transition.patch.version)
      : created && !members && movedAlerts.length === 0
        ? created
        : members || transition.linkAlerts?.length || movedAlerts.length
          ? await tx.updateIncident(id, { updatedAt: now })
          : await tx.getIncident(id);
    if (!incident) throw new Error(`incident ${id} vanished inside its own transition`);
    return { incident, timeline, movedAlerts, transition };
  });
  live.emit('incident', applied.incident);
  for (const entry of applied.timeline) live.emit('timeline', entry);
  return applied;
}

/**
 * Reads the state, decides, applies; when the incident changed in between (another click, another
 * instance), reads and decides again. `decide` returning undefined means nothing to do.
 */
export async function commitIncidentChange<S>(
  store: Store,
  live: LiveEvents,
  now: () => string,
  load: () => Promise<S>,
  decide: (state: S, now: string) => IncidentTransition | undefined,
  newId?: () => string,
  handoff?: () => JobHandoff,
): Promise<AppliedTransition | undefined> {
  for (let attempt = 1; ; attempt++) {
    const state = await load();
    const at = now();
    const transition = decide(state, at);
    if (!transition) return undefined;
    try {
      return await applyIncidentTransition(store, live, transition, at, newId, handoff);
    } catch (error) {
      if ((error as { code?: string }).code !== 'STORE_VERSION_CONFLICT' || attempt >= MAX_DECISIONS) throw error;
    }
  }
}

/** A change contended this often in a row is given back to its job's retry (with backoff). */
const MAX_DECISIONS = 8;
