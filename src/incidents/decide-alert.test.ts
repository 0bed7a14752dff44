import { describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.js';
import type { Incident } from './incident.js';
import { anIncident } from './testing/an-incident.js';
import { decideAlert, type AlertState } from './decide-alert.js';
import type { GroupingOptions } from './grouping.js';
import type { FlowDefinition } from '../flows/flow-schema.js';
import { parseFlow } from '../flows/parse-flow.js';

const NOW = '2026-01-01T04:00:00.000Z';
const options: GroupingOptions = { flapWindowMs: 600_000, digestIntervalMs: 60_000, resolveWhen: 'all', storm: { maxNewIncidents: 10, windowMs: 60_000 } };
const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'a1',
  source: 'alertmanager',
  dedupKey: 'k1',
  status: 'firing',
  title: 'MySQL down',
  severity: 'high',
  labels: {},
  links: [],
  startsAt: NOW,
  raw: {},
  receivedAt: NOW,
  ...over,
});
const incident = (over: Partial<Incident> = {}): Incident => anIncident({ createdAt: NOW, updatedAt: NOW, version: 3, ...over });
const flow = (id: string, on: string): FlowDefinition => parseFlow(`id: ${id}\ntrigger: { on: ${on} }\nboxes:\n  - id: say\n    type: post\n    text: hi\n`, `${id}.yaml`).flow!;
const story = flow('story', 'alert');
const greet = flow('greet', 'opened');
const state = (over: Partial<AlertState> = {}): AlertState => ({ alert: alert(), groupKey: 'g', joinsOnly: false, alertFlows: [story], openedFlows: [greet], openedRecently: 0, ...over });

describe('decideAlert', () => {
  it('opens and starts its alert flows and its opened flows in the same transition, under their event trigger keys', () => {
    const t = decideAlert(state(), NOW, options)!;
    expect(t.create).toMatchObject({ id: 'inc-a1', groupKey: 'g', source: 'alertmanager' });
    expect(t.runs).toEqual([
      { flow: story, triggerKey: 'alert:a1', alertId: 'a1' },
      { flow: greet, triggerKey: 'opened:inc-a1', alertId: 'a1' },
    ]);
    expect(t.jobs ?? []).toEqual([]);
    expect(t.timeline![0]!.data).toMatchObject({ flows: ['story'] });
    expect(t.openGuard).toEqual({ source: 'alertmanager', since: '2026-01-01T03:59:00.000Z', max: 10 });
  });

  it('does nothing for an alert already grouped, a lone resolved alert, or a join-only action', () => {
    expect(decideAlert(state({ alert: alert({ incidentId: 'inc-1' }) }), NOW, options)).toBeUndefined();
    expect(decideAlert(state({ alert: alert({ status: 'resolved' }) }), NOW, options)).toBeUndefined();
    expect(decideAlert(state({ joinsOnly: true }), NOW, options)).toBeUndefined();
  });

  it('resolves at the decided version, with one keyed event, only when every alert key has', () => {
    const open = incident();
    expect(decideAlert(state({ alert: alert({ status: 'resolved' }), open, openAlertStatuses: ['firing'] }), NOW, options)!.patch).toBeUndefined();
    const t = decideAlert(state({ alert: alert({ status: 'resolved' }), open, openAlertStatuses: ['resolved'] }), NOW, options)!;
    expect(t.patch).toEqual({ id: 'inc-1', version: 3, changes: { status: 'resolved', resolvedAt: NOW } });
    expect(t.jobs!.find((job) => job.kind === 'event')?.uniqueKey).toBe('event:resolved:inc-1:v4');
  });

  it('folds new groups into the storm beyond the limit, and opens the storm once', () => {
    const first = decideAlert(state({ openedRecently: 10 }), NOW, options)!;
    expect(first.create).toMatchObject({ groupKey: 'storm:alertmanager', title: 'Alert storm: alertmanager' });
    expect(first.jobs!.map((job) => job.kind)).toEqual(['event', 'digest']);
    const storm = incident({ id: 'storm-a0', groupKey: 'storm:alertmanager' });
    const next = decideAlert(state({ openedRecently: 10, storm }), NOW, options)!;
    expect(next.create).toBeUndefined();
    expect(next.incidentId).toBe('storm-a0');
    expect(next.jobs!.map((job) => job.kind)).toEqual(['digest']);
    expect(decideAlert(state({ openedRecently: 10 }), NOW, { ...options, storm: { maxNewIncidents: 0, windowMs: 60_000 } })!.create?.groupKey).toBe('g');
  });

  it('reopens a flapping incident and a mitigated one that fires again', () => {
    const flapped = decideAlert(state({ flapped: incident({ status: 'resolved', resolvedAt: NOW }) }), NOW, options)!;
    expect(flapped.patch?.changes).toEqual({ status: 'investigating', resolvedAt: undefined });
    const mitigated = decideAlert(state({ open: incident({ status: 'mitigated' }) }), NOW, options)!;
    expect(mitigated.jobs!.find((job) => job.kind === 'event')?.payload.event).toBe('reopened');
  });
});
