import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai/fake-openai.js';
import { startLockedServer, type LockedServer } from '../helpers/locked-server.js';

describe('the draft in the API: regenerate, accept, edit', () => {
  let fake: FakeOpenAi;
  let server: LockedServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-sidekick-user': 'ada', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    fake = await startFakeOpenAi((request) => {
      const user = request.body.messages?.find((m) => m.role === 'user')?.content ?? '';
      const ref = /"ref":"(E\d+)"/.exec(user)?.[1];
      return JSON.stringify({ summary: [{ text: `Draft number ${fake.requests.length}.`, cites: [ref] }], whatHappened: [], contributingFactors: [] });
    });
    server = await startLockedServer({ env: { SIDEKICK_AI_URL: fake.url, SIDEKICK_AI_MODEL: 'qwen2.5:7b' } });
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });

  it('regenerates, accepts and saves an edit, keeping only real citations', async () => {
    const incident = await server.runtime.incidents.declare({ title: 'Cache stampede', actor: 'ada' });
    const base = `/api/incidents/${incident.id}/draft`;
    expect((await call('GET', base)).body).toEqual({ enabled: true, model: 'qwen2.5:7b', draft: null });
    const made = await call('POST', base);
    expect(made.body.draft).toMatchObject({ status: 'drafted', model: 'qwen2.5:7b', sections: { summary: [{ text: 'Draft number 1.' }] } });
    const again = await call('POST', base);
    expect(again.body.draft.sections.summary[0].text).toBe('Draft number 2.');
    const accepted = await call('POST', `${base}/accept`);
    expect(accepted.body.draft).toMatchObject({ status: 'accepted', reviewedBy: 'ada' });
    const report = await (await fetch(`${server.url}/api/incidents/${incident.id}/report`)).text();
    expect(report).toContain('reviewed and accepted by ada');
    const [entry] = await server.runtime.store.listTimeline(incident.id);
    const saved = await call('PUT', base, {
      sections: { summary: [{ text: 'Our own words.', cites: [entry!.id, 'made-up-entry'] }], whatHappened: [{ text: 'No citation, a person wrote it.', cites: [] }], contributingFactors: [] },
    });
    expect(saved.body.draft).toMatchObject({ status: 'edited', reviewedBy: 'ada', sections: { summary: [{ text: 'Our own words.', cites: [entry!.id] }] } });
    expect((await call('PUT', base, { sections: { summary: [{ text: '' }] } })).status).toBe(400);
  });

  it('says a model is missing instead of failing when none is configured', async () => {
    const plain = await startLockedServer({});
    try {
      const incident = await plain.runtime.incidents.declare({ title: 'No model', actor: 'ada' });
      const answer = await fetch(`${plain.url}/api/incidents/${incident.id}/draft`, { method: 'POST', headers: { 'x-sidekick-csrf': '1' } });
      expect(answer.status).toBe(409);
      expect(((await answer.json()) as any).error.code).toBe('AI_NOT_CONFIGURED');
    } finally {
      await plain.close();
    }
  });
});
