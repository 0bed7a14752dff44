import { writeFileSync, rmSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

/** A flow that says which version it is, waits for the incident to resolve, then says it again. */
const pinned = (version: string) => `id: pinned
trigger:
  on: alert
  match: { title: "pinned *" }
boxes:
  - { id: hello, type: post, text: "hello from ${version}", next: [hold] }
  - { id: hold, type: wait, until: resolved, on: { resolved: bye } }
  - { id: bye, type: post, text: "bye from ${version}" }
`;

const other = (text: string) => `id: other
trigger:
  on: alert
  match: { title: "other *" }
boxes:
  - { id: hello, type: post, text: "${text}" }
`;

/** Flow and playbook folders are watched: edits on disk take effect without a restart. */
describe('live flows', () => {
  let sidekick: TestSidekick;
  const logLines: string[] = [];
  let alerts = 0;

  beforeAll(async () => {
    sidekick = await startTestSidekick({
      flows: { 'pinned.yaml': pinned('v1') },
      overrides: { log: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }) },
    });
  });
  afterAll(async () => {
    await sidekick?.close();
  });

  const flowFile = (name: string) => join(sidekick.dir, 'flows', name);
  const listFlows = async () => (await sidekick.get('/api/flows')).body;
  const flowOf = async (id: string) => (await listFlows()).flows.find((flow: any) => flow.id === id);
  /** Sends a generic alert and waits for the incident it opens; returns its id. */
  const fire = async (title: string) => {
    const key = `live-${++alerts}`;
    const response = await sidekick.post('/webhooks/generic', { key, title, status: 'firing', severity: 'high' });
    expect(response.status).toBe(202);
    return sidekick.until(async () => {
      const { body } = await sidekick.get('/api/incidents');
      return body.incidents.find((incident: any) => incident.title === title)?.id as string | undefined;
    });
  };
  // Posts without a channel of their own land in the default channel; the timeline records each one.
  const messagesOf = async (incidentId: string) => JSON.stringify((await sidekick.get(`/api/incidents/${incidentId}`)).body.timeline.filter((entry: any) => entry.kind === 'message'));
  const waitForText = (incidentId: string, text: string) => sidekick.until(async () => (await messagesOf(incidentId)).includes(text));

  it('a run started before a change keeps the version it started with; new runs get the new one', async () => {
    const before = await fire('pinned one');
    await waitForText(before, 'hello from v1');
    const v1 = (await flowOf('pinned')).version;

    writeFileSync(flowFile('pinned.yaml'), pinned('v2'));
    await sidekick.until(async () => (await flowOf('pinned'))?.version !== v1);

    // The first run resumes after the change, still on v1.
    expect((await sidekick.post(`/api/incidents/${before}/status`, { status: 'resolved' })).status).toBe(200);
    await waitForText(before, 'bye from v1');
    expect(await messagesOf(before)).not.toContain('from v2');

    const after = await fire('pinned two');
    await waitForText(after, 'hello from v2');
  });

  it('an added flow file starts runs without a restart', async () => {
    expect(await flowOf('other')).toBeUndefined();
    // Written aside and renamed in, as git and most editors do.
    writeFileSync(flowFile('.other.tmp'), other('added on disk'));
    renameSync(flowFile('.other.tmp'), flowFile('other.yaml'));
    await sidekick.until(() => flowOf('other'));
    const incident = await fire('other one');
    await waitForText(incident, 'added on disk');
  });

  it('a broken file is reported with file and line and its previous version keeps running', async () => {
    writeFileSync(flowFile('other.yaml'), other('added on disk').replace('type: post', 'type: pots'));
    const broken = await sidekick.until(async () => {
      const flow = await flowOf('other');
      return flow?.kept ? flow : undefined;
    });
    expect(broken.problems).toContainEqual(expect.objectContaining({ code: 'FLOW_UNKNOWN_BOX', file: 'flows/other.yaml', line: 6, severity: 'error' }));
    expect(logLines.join('')).toMatch(/FLOW_UNKNOWN_BOX at flows\/other\.yaml:6/);
    expect(logLines.join('')).toMatch(/flow \\"other\\" keeps running its previous version/);

    const incident = await fire('other two');
    await waitForText(incident, 'added on disk');

    // Fixed again: the new text is in service and the flow is no longer marked.
    writeFileSync(flowFile('other.yaml'), other('fixed on disk'));
    await sidekick.until(async () => {
      const flow = await flowOf('other');
      return flow && !flow.kept && flow.problems.length === 0;
    });
    const fixed = await fire('other three');
    await waitForText(fixed, 'fixed on disk');
  });

  it('a deleted flow file stops starting runs', async () => {
    rmSync(flowFile('other.yaml'));
    await sidekick.until(async () => (await flowOf('other')) === undefined);
    expect(logLines.join('')).toMatch(/"removed":\["other"\]/);
  });

  it('playbook folders are watched too: a new playbook is served, and flows naming it load', async () => {
    const flow = `id: shows-book
trigger: { on: alert, match: { title: "book *" } }
boxes:
  - { id: book, type: playbook, playbook: live-book }
`;
    // The flow names a playbook that does not exist yet: it does not load.
    writeFileSync(flowFile('shows-book.yaml'), flow);
    await sidekick.until(async () => (await listFlows()).problems.some((problem: any) => problem.code === 'FLOW_UNKNOWN_PLAYBOOK'));
    expect(await flowOf('shows-book')).toBeUndefined();

    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(sidekick.dir, 'playbooks'), { recursive: true });
    writeFileSync(join(sidekick.dir, 'playbooks', 'live-book.md'), '# Live book\n\n## Start\n\nCheck the thing.\n');
    await sidekick.until(async () => (await sidekick.get('/api/playbooks/live-book')).status === 200);
    await sidekick.until(() => flowOf('shows-book'));
  });
});
