import type { Incident } from './incident.js';
import type { IncidentGroup } from '../store/store.js';
import type { IncidentTransition } from './incident-transition.js';
import { eventJob } from './decide-change.js';
import { incidentIdFor } from './decide-alert.js';
import { IncidentChangeRefused } from './incident-errors.js';

/**
 * Splits one group out of an alert-storm incident into an incident of its own, as if its first
 * alert had opened it: its alerts move, both timelines say so, and the group's alert flows and the
 * `opened` event start from jobs in the same commit. Throws IncidentChangeRefused when the
 * incident is no storm or does not hold the group.
 */
export function decideSplit(storm: Incident, groups: IncidentGroup[], groupKey: string, actor: string, now: string): IncidentTransition {
  if (!storm.groupKey.startsWith('storm:')) {
    throw new IncidentChangeRefused('INCIDENT_NOT_A_STORM', `INC-${storm.number} is not an alert-storm incident; only a storm's groups can be split out`);
  }
  if (storm.status === 'resolved') throw new IncidentChangeRefused('INCIDENT_RESOLVED', `INC-${storm.number} is resolved; reopen it before splitting`);
  const group = groups.find((each) => each.groupKey === groupKey);
  if (!group) {
    throw new IncidentChangeRefused('INCIDENT_GROUP_UNKNOWN', `INC-${storm.number} holds no group ${JSON.stringify(groupKey.slice(0, 200))}; GET /api/incidents/${storm.id} lists its groups`);
  }
  const id = incidentIdFor({ id: group.firstAlertId });
  const count = `${group.alerts} alert${group.alerts === 1 ? '' : 's'}`;
  return {
    create: {
      id,
      title: group.title.slice(0, 300) || groupKey.slice(0, 300),
      severity: storm.severity,
      status: 'investigating',
      groupKey,
      source: storm.source,
      labels: {},
      createdAt: now,
      updatedAt: now,
      responders: [],
      channels: [],
    },
    moveGroup: { from: storm.id, groupKey },
    timeline: [
      { at: now, kind: 'note', actor, text: `${actor} split this group out of alert storm INC-${storm.number} (${count})`, data: { splitFrom: storm.id, group: groupKey } },
      { incidentId: storm.id, at: now, kind: 'note', actor, text: `${actor} split out ${group.title || groupKey} (${count}) into its own incident`, data: { splitTo: id, group: groupKey } },
    ],
    jobs: [eventJob(id, 'alert', `alert:${group.firstAlertId}`, now), eventJob(id, 'opened', `opened:${id}`, now)],
  };
}
