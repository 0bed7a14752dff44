import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { createStore } from '../../src/store/create-store.js';
import { startFakeOpenAi, type FakeChatRequest, type FakeOpenAi } from '../fakes/openai/fake-openai.js';
import type { TimelineEntry } from '../../src/incidents/incident.js';

const PASSWORD = 'correct-horse-battery-staple';
const AI_KEY = 'sk-local-key-0123456789';
const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5'.repeat(4)}`;

/** The refs the prompt offered (E1, E2, …), read back from the user message. */
function refsOf(request: FakeChatRequest): string[] {
  const user = request.body.messages?.find((m) => m.role === 'user')?.content ?? '';
  return [...user.matchAll(/"ref":"(E\d+)"/g)].map((m) => m[1]!);
}

/** A model that cites the first two entries, one entry it made up, and one sentence citing only an invented ref. */
function citingModel(request: FakeChatRequest): string {
  const [first, second] = refsOf(request);
  return JSON.stringify({
    summary: [{ text: 'The checkout database stopped accepting writes and was failed over.', cites: [first, second, 'E999'] }],
    whatHappened: [
      { text: 'An alert fired for the primary database.', cites: [first] },
      { text: 'Someone rebooted the moon.', cites: ['E999'] },
    ],
    contributingFactors: [{ text: 'Replication lag had been rising before the failure.', cites: [`[${second}]`] }],
  });
}

describe('the AI first draft of the report', () => {
  let fake: FakeOpenAi;
  let runtime: Runtime;
  let entries: TimelineEntry[];
  let incidentId: string;

  const start = async (env: Record<string, string> = {}) => {
    const config = loadConfig({
      cwd: process.cwd(),
      env: { SIDEKICK_AI_URL: fake.url, SIDEKICK_AI_MODEL: 'llama3.1:8b', SIDEKICK_AI_KEY: AI_KEY, SIDEKICK_AI_TIMEOUT_MS: '5000', SIDEKICK_WEB_PASSWORD: PASSWORD, GITHUB_TOKEN, ...env },
    });
    runtime = await createRuntime(config, { store: await createStore({ dataDir: ':memory:' }), log: pino({ level: 'silent' }), startWorker: false });
    const incident = await runtime.incidents.declare({ title: 'Checkout database down', severity: 'critical', actor: 'ada' });
    incidentId = incident.id;
    const at = (minutes: number) => new Date(Date.parse(incident.createdAt) + minutes * 60_000).toISOString();
    await runtime.store.addTimeline({ incidentId, at: at(1), kind: 'message', actor: 'ada', text: `replication lag is rising; the web password is ${PASSWORD}` });
    await runtime.store.addTimeline({ incidentId, at: at(2), kind: 'message', actor: 'bob', text: `GITHUB_TOKEN=${GITHUB_TOKEN} and the AI key ${AI_KEY}, password=swordfish99` });
    await runtime.incidents.setStatus(incidentId, 'mitigated', 'ada');
    entries = await runtime.store.listTimeline(incidentId);
  };

  beforeAll(async () => {
    fake = await startFakeOpenAi(citingModel);
  });
  afterEach(async () => {
    fake.requests.length = 0;
    fake.mode = { kind: 'answer' };
    fake.answer = citingModel;
    await runtime?.close();
  });
  afterAll(async () => fake.close());

  it('drafts Summary, What happened and Contributing factors, citing real timeline entries only', async () => {
    await start();
    const report = await runtime.services.renderReport(incidentId);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body.model).toBe('llama3.1:8b');
    expect(fake.requests[0]!.authorization).toBe(`Bearer ${AI_KEY}`);
    expect(report).toContain('**AI first draft** by llama3.1:8b, not yet reviewed');
    expect(report).toMatch(/## Summary\n\nThe checkout database stopped accepting writes and was failed over\. \[\d\d:\d\d(:\d\d)?\]\(http/);
    expect(report).toContain('## What happened');
    expect(report).toContain('## Contributing factors');
    expect(report).not.toContain('rebooted the moon');
    expect(report).toContain('1 sentence that cited nothing on the timeline was left out');
    const linked = [...report.matchAll(/\?entry=([^)\s]+)\)/g)].map((m) => decodeURIComponent(m[1]!));
    expect(linked.length).toBeGreaterThanOrEqual(4);
    const ids = new Set(entries.map((e) => e.id));
    for (const id of linked) expect(ids.has(id)).toBe(true);
    // The deterministic report is still all there, below.
    expect(report).toContain('## Timeline');
    expect(report).toContain('## Conversation');
    const draft = await runtime.store.getReportDraft(incidentId);
    expect(draft?.status).toBe('drafted');
    expect(draft?.droppedSentences).toBe(1);
  });

  it('sends no secret from the redaction list to the model', async () => {
    await start();
    await runtime.services.renderReport(incidentId);
    const sent = JSON.stringify(fake.requests.map((r) => r.body));
    expect(sent).toContain('replication lag is rising');
    for (const secret of [PASSWORD, AI_KEY, GITHUB_TOKEN, 'swordfish99']) expect(sent).not.toContain(secret);
    expect(sent).toContain('[REDACTED]');
  });

  it('makes the draft once: filing again reuses the stored draft, --redraft asks again', async () => {
    await start();
    await runtime.services.renderReport(incidentId);
    await runtime.services.renderReport(incidentId);
    expect(fake.requests).toHaveLength(1);
    fake.answer = (request) => JSON.stringify({ summary: [{ text: 'A second opinion.', cites: [refsOf(request)[0]] }], whatHappened: [], contributingFactors: [] });
    const again = await runtime.services.renderReport(incidentId, { redraft: true });
    expect(fake.requests).toHaveLength(2);
    expect(again).toContain('A second opinion.');
  });

  it('reads a streamed answer (server-sent events ending in [DONE])', async () => {
    await start({});
    runtime.config.ai.stream = true;
    const report = await runtime.services.renderReport(incidentId);
    expect(fake.requests[0]!.body.stream).toBe(true);
    expect(report).toContain('The checkout database stopped accepting writes');
  });

  it('files the report without the draft, saying so, when the model is slow', async () => {
    fake.mode = { kind: 'slow', ms: 30_000 };
    await start({ SIDEKICK_AI_TIMEOUT_MS: '300' });
    const report = await runtime.services.renderReport(incidentId);
    expect(report).toContain('**No AI draft:** the model did not answer within 300 ms');
    expect(report).toContain('AI\\_TIMEOUT');
    expect(report).toContain('--redraft');
    expect(report).toContain('## Timeline');
    expect((await runtime.store.getReportDraft(incidentId))?.status).toBe('failed');
  });

  it('files the report without the draft when the model is down', async () => {
    const down = await startFakeOpenAi();
    const url = down.url;
    await down.close();
    await start({ SIDEKICK_AI_URL: url });
    const report = await runtime.services.renderReport(incidentId);
    expect(report).toContain('cannot be reached');
    expect(report).toContain('AI\\_UNAVAILABLE');
    expect(report).toContain('## Conversation');
  });

  it.each([
    [{ kind: 'status', status: 429, retryAfter: 20 } as const, 'AI\\_RATE\\_LIMITED', 'retry after 20 s'],
    [{ kind: 'status', status: 503 } as const, 'AI\\_UNAVAILABLE', 'overloaded'],
    [{ kind: 'status', status: 401 } as const, 'AI\\_REJECTED', 'check SIDEKICK\\_AI\\_KEY'],
    [{ kind: 'status', status: 400 } as const, 'AI\\_REJECTED', 'context\\_length\\_exceeded'],
    [{ kind: 'garbage', text: 'Sure! Here is your report: the database broke.' } as const, 'AI\\_BAD\\_ANSWER', 'did not answer with JSON'],
    [{ kind: 'garbage', text: '{"summary":[{"text":"Made up.","cites":["E404"]}]}' } as const, 'AI\\_BAD\\_ANSWER', 'no sentence that cites a real timeline entry'],
    [{ kind: 'html' } as const, 'AI\\_BAD\\_ANSWER', 'not JSON'],
  ])('files the report without the draft on %j', async (mode, code, says) => {
    fake.mode = mode;
    await start();
    const report = await runtime.services.renderReport(incidentId);
    expect(report).toContain('**No AI draft:**');
    expect(report).toContain(code);
    expect(report).toContain(says);
  });

  it('asks no model when none is configured', async () => {
    await start({ SIDEKICK_AI_URL: '', SIDEKICK_AI_MODEL: '' });
    const report = await runtime.services.renderReport(incidentId);
    expect(fake.requests).toHaveLength(0);
    expect(report).not.toContain('AI first draft');
    expect(report).not.toContain('No AI draft');
    expect(report).toContain('## Summary\n\n<!--');
  });
});
