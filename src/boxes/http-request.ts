import { z } from 'zod';
import type { BoxType } from './box-type.js';
import { BoxError } from './box-error.js';

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

/**
 * Calls an HTTP endpoint; later boxes read `boxes.<id>.status` and `boxes.<id>.json`.
 * A non-2xx answer leaves by `error` (when wired) so flows can branch on it.
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
    const headers = Object.fromEntries(
      Object.entries(ctx.settings.headers).map(([name, value]) => [name, ctx.render(value, 'plain').text]),
    );
    const response = await fetch(url, {
      method: ctx.settings.method,
      headers,
      body: ctx.settings.body === undefined ? undefined : ctx.setting('body'),
      signal: AbortSignal.timeout(ctx.settings.timeout),
    });
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
