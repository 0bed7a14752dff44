/**
 * A stakeholder update posted from anywhere (Slack, Teams and MCP call `postUpdate` directly,
 * without the web route's own wake) goes out at once: its commit wakes the worker for the
 * broadcast job instead of leaving it to the next poll (here once a minute).
 */
import { afterAll, expect, it, vi } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';

let sidekick: TestSidekick | undefined;
afterAll(async () => sidekick?.close());

it('wakes the worker in the commit of an update, and the update reaches the incident channel', async () => {
  const manualFlow = 'id: by-hand\ntrigger: { on: manual }\nboxes:\n  - id: hello\n    type: post\n    text: hi\n';
  sidekick = await startTestSidekick({ flows: { 'by-hand.yaml': manualFlow }, overrides: { pollMs: 60_000 } });
  const started = sidekick;
  const incident = await started.runtime.incidents.declare({ title: 'Checkout is failing', actor: 'alice' });
  const opened = await started.post(`/api/incidents/${incident.id}/room-channel`, {});
  expect([200, 201]).toContain(opened.status);
  await started.until(async () => {
    const jobs = await started.runtime.store.countJobs();
    return jobs.ready === 0 && jobs.leased === 0;
  }, 10_000);

  const wake = vi.spyOn(started.runtime.worker, 'wake');
  await started.runtime.incidents.postUpdate(incident.id, 'Rolled back; error rate falling', 'alice');
  expect(wake).toHaveBeenCalled();
  const posted = await started.until(async () => {
    const { messages } = (await started.get(`/api/incidents/${incident.id}`)).body as { messages: { text: string }[] };
    return messages.find((message) => message.text.includes('Update on INC-') && message.text.includes('Rolled back'));
  }, 10_000);
  expect(posted.text).toContain('error rate falling');
});
