import { z } from 'zod';
import type { BoxType } from './box-type.js';
import { BoxError } from './box-error.js';
import { parseRetryAfter } from '../util/http-retry.js';

const MAX_RESPONSE_BYTES = 1024 * 1024;

const settings = z
  .object({
    url: z.string().min(1),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    /** A body template (rendered without escaping; use the `json` filter for values). */
    body: z.string().optional(),
    timeout: z.number().int().positive().max(60_000).default(10_000),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** Answers that mean "try again later": the request was not handled, or the service is overloaded. */
const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Calls an HTTP endpoint; later boxes read `boxes.<id>.status` and `boxes.<id>.json`.
 * A transient failure (a timeout, a reset connection, 408/425/429/5xx) is retried by the engine
 * with backoff, honouring Retry-After, and every try carries the same `Idempotency-Key` (the task
 * id) so the receiver can tell a retry from a new request. Another non-2xx answer, or one still
 * failing when the retries are spent, leaves by `error` (when wired) so flows can branch on it.
 */
export const httpRequestBox: BoxType<Settings> = {
  type: 'http-request',
  title: 'HTTP request',
  description: 'Calls an HTTP endpoint; its JSON answer is available to later boxes as boxes.<id>.json.',
  settings,
  outputs: () => ['next', 'error'],
  templates: { url: 'plain', body: 'plain' },
  async run(ctx) {
    const url = ctx.setting('url');
    if (!/^https?:\/\//i.test(url)) throw new BoxError('HTTP_BAD_URL', `"${url}" is not an http(s) URL`);
    const headers = {
      'idempotency-key': ctx.idempotencyKey,
      ...Object.fromEntries(Object.entries(ctx.settings.headers).map(([name, value]) => [name, ctx.render(value, 'plain').text])),
    };
    let response: Response;
    try {
      response = await fetch(url, {
        method: ctx.settings.method,
        headers,
        body: ctx.settings.body === undefined ? undefined : ctx.setting('body'),
        signal: AbortSignal.timeout(ctx.settings.timeout),
      });
    } catch (error) {
      const what = (error as Error).name === 'TimeoutError' ? `no answer within ${ctx.settings.timeout} ms` : ((error as Error).message ?? String(error));
      throw new BoxError('HTTP_UNAVAILABLE', `${ctx.settings.method} ${new URL(url).host} failed (${what}); will retry`, true);
    }
    if (TRANSIENT_STATUS.has(response.status)) {
      await response.body?.cancel().catch(() => {});
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      throw new BoxError('HTTP_UNAVAILABLE', `${ctx.settings.method} ${new URL(url).host} answered ${response.status}; will retry`, true, retryAfterMs === undefined ? {} : { retryAfterMs });
    }
    const text = await readLimited(response);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const output = { status: response.status, ok: response.ok, text, json };
    if (!response.ok) {
      await ctx.timeline({ kind: 'failure', actor: 'sidekick', text: `${ctx.settings.method} ${new URL(url).host} answered ${response.status}`, data: { box: ctx.box.id } });
    }
    return { done: { port: response.ok ? 'next' : 'error', output } };
  },
};

async function readLimited(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new BoxError('HTTP_RESPONSE_TOO_LARGE', `the response is larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
