import type { Alert } from '../alerts/alert.js';
import { joinsOnlyByAlertId } from '../alerts/sources/opsgenie.js';
import type { Store } from '../store/store.js';
import type { AlertState } from './decide-alert.js';
import type { GroupingOptions } from './grouping.js';
import type { FlowDefinition } from '../flows/flow-schema.js';

/** Reads what `decideAlert` needs about one alert, and only what its case needs. */
export async function loadAlertState(
  store: Store,
  alert: Alert,
  groupKey: string,
  flowsFor: (event: 'alert' | 'opened', alert: Alert) => FlowDefinition[],
  now: Date,
  options: GroupingOptions,
): Promise<AlertState> {
  const joinRef = joinsOnlyByAlertId(alert);
  const state: AlertState = { alert, groupKey, joinsOnly: joinRef !== undefined, alertFlows: [], openedRecently: 0 };
  if (alert.incidentId) return state;
  // The group's open incident, a storm holding its earlier alerts under its own key, and the
  // incident it may flap back to, in one read.
  const group = await store.findGroupIncidents(groupKey, new Date(now.getTime() - options.flapWindowMs).toISOString());
  state.open = group.open ?? group.holding ?? (joinRef ? await store.findOpenIncidentByAlertLabel('opsgenie', 'opsgenie_alert_id', joinRef) : undefined);
  if (state.open) {
    if (alert.status === 'resolved') state.openAlertStatuses = await otherAlertStatuses(store, state.open.id, alert);
    return state;
  }
  if (state.joinsOnly || alert.status === 'resolved') return state;
  state.flapped = group.resolved;
  if (state.flapped) return state;
  if (options.storm.maxNewIncidents > 0) {
    state.openedRecently = await store.countIncidentsOpenedBy(alert.source, new Date(now.getTime() - options.storm.windowMs).toISOString());
    if (state.openedRecently >= options.storm.maxNewIncidents) state.storm = await store.findOpenIncident(`storm:${alert.source}`);
  }
  state.alertFlows = flowsFor('alert', alert);
  state.openedFlows = flowsFor('opened', alert);
  return state;
}

/** The latest status of each distinct alert key of an incident, the alert in hand excluded. */
async function otherAlertStatuses(store: Store, incidentId: string, alert: Alert): Promise<Alert['status'][]> {
  const alerts = await store.listAlerts({ incidentId, limit: 100_000 });
  const latest = new Map<string, Alert['status']>();
  for (const each of alerts) latest.set(`${each.source}:${each.dedupKey}`, each.status);
  // The alert in hand is the newest, whatever the clock says about equal receive times.
  latest.delete(`${alert.source}:${alert.dedupKey}`);
  return [...latest.values()];
}
