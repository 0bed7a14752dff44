import { describe, expect, it } from 'vitest';
import { createTestContext } from './testing/create-test-context.js';
import type { Incident, TimelineEntry } from '../incidents/incident.js';
import { checkFlowText } from '../flows/load-flows.js';
import { setSeverityBox } from './set-severity.js';
import { anIncident } from '../incidents/testing/an-incident.js';

const incident = anIncident({ id: 'inc_1', title: 'API errors' });

/** Runs the box once, the way the engine does, and says what it changed. */
async function runBox(settings: Record<string, unknown>, scope: Record<string, unknown> = {}) {
  const patches: Partial<Incident>[] = [];
  const lines: TimelineEntry[] = [];
  const services = {
    store: { addTimeline: async (entry: TimelineEntry) => (lines.push(entry), entry) },
    incidents: { update: async (_id: string, patch: Partial<Incident>) => (patches.push(patch), { ...incident, ...patch }) },
  };
  const result = await setSeverityBox.run(createTestContext(setSeverityBox, { settings, incident, scope, services }));
  return { result, patches, lines };
}

describe('set-severity box', () => {
  it('sets the severity and says so on the timeline, with the reason rendered', async () => {
    const { result, patches, lines } = await runBox({ severity: 'critical', reason: 'checkout {{ alert.labels.svc }}' }, { alert: { labels: { svc: '{{ x }}' } } });
    expect(patches).toEqual([{ severity: 'critical' }]);
    expect(lines.map((line) => line.text)).toEqual(['Severity: high → critical (checkout {{ x }})']);
    expect(result).toEqual({ done: { port: 'next', output: { severity: 'critical', from: 'high', changed: true } } });
  });

  it('never lowers it when told to only raise, and does nothing when it is already there', async () => {
    const lowered = await runBox({ severity: 'warning', onlyRaise: true });
    expect(lowered.patches).toEqual([]);
    expect(lowered.result).toEqual({ done: { port: 'next', output: { severity: 'high', changed: false } } });
    expect((await runBox({ severity: 'high' })).patches).toEqual([]);
    expect((await runBox({ severity: 'info' })).patches).toEqual([{ severity: 'info' }]);
  });

  it('is checked like any box in a flow file: its settings, its outputs, its templates', async () => {
    const text = `id: escalate
trigger: { on: alert }
boxes:
  - id: up
    type: set-severity
    severity: sev1
    reason: "{{ alert.nope"
    on: { done: next-box }
  - id: next-box
    type: post
    text: hi
`;
    const { problems } = await checkFlowText(text, 'f.yaml', {});
    expect(problems.map((p) => `${p.code}:${p.line}`)).toEqual(expect.arrayContaining(['FLOW_BOX_SETTINGS:6', 'FLOW_TEMPLATE:7', 'FLOW_UNKNOWN_OUTPUT:8']));
  });
});
