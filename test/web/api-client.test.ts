import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, callApi, describeError } from '../../web/src/api/client.js';

const answer = (status: number, body: unknown, type = 'application/json') => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('callApi', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the CSRF header and JSON on changes, and not on reads', async () => {
    const fetch = vi.fn(async () => answer(200, { ok: true }));
    vi.stubGlobal('fetch', fetch);
    await callApi('/api/incidents');
    await callApi('/api/room/click', { method: 'POST', body: { value: 'v' } });
    const [, read] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    const [, write] = fetch.mock.calls[1] as unknown as [string, RequestInit];
    expect((read.headers as Record<string, string>)['x-sidekick-csrf']).toBeUndefined();
    expect((write.headers as Record<string, string>)['x-sidekick-csrf']).toBe('1');
    expect((write.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(write.body).toBe('{"value":"v"}');
    expect(write.credentials).toBe('same-origin');
  });

  it('turns error answers into coded errors, and odd ones into generic codes', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => answer(409, { error: { code: 'CLICK_STALE', message: 'already answered' } })),
    );
    const stale = (await callApi('/api/room/click', { method: 'POST', body: {} }).catch((error: unknown) => error)) as ApiError;
    expect(stale).toBeInstanceOf(ApiError);
    expect(stale.code).toBe('CLICK_STALE');
    expect(describeError(stale)).toBe('already answered (CLICK_STALE)');

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => answer(502, '<html>bad gateway</html>', 'text/html')),
    );
    const html = (await callApi('/api/incidents').catch((error: unknown) => error)) as ApiError;
    expect(html.code).toBe('HTTP_502');

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => answer(422, '{"problems": [', 'application/json')),
    );
    const broken = (await callApi('/api/flows/x', { method: 'PUT', body: {} }).catch((error: unknown) => error)) as ApiError;
    expect(broken.status).toBe(422);

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('connection refused');
      }),
    );
    const down = (await callApi('/api/incidents').catch((error: unknown) => error)) as ApiError;
    expect(down.code).toBe('NETWORK');
  });

  it('returns text answers (the report) as text', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => answer(200, '# INC-1\n', 'text/markdown; charset=utf-8')),
    );
    await expect(callApi<string>('/api/incidents/1/report')).resolves.toBe('# INC-1\n');
  });
});
