import { z } from 'zod';
import type { BoxContext, BoxType } from './box-type.js';
import { BoxError } from './box-error.js';
import { isAllowedTarget } from './http-targets.js';
import type { EscapeMode } from '../templates/render.js';
import { flattenLiquid } from '../templates/liquid-pieces.js';
import { hasDotSegment, urlTemplateOrigin } from '../templates/url-template.js';
import { parseRetryAfter } from '../util/http-retry.js';

const MAX_RESPONSE_BYTES = 1024 * 1024;

const MAX_REDIRECTS = 5;

const settings = z
  .object({
    /** A URL template: values are percent-encoded; scheme and host must be written out (or `| raw`). */
    url: z.string().min(1).meta({ template: 'url' }),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    headers: z.record(z.string(), z.string().meta({ template: 'plain' })).default({}),
    /** A body template, escaped by its content type: JSON, form-encoded, or as is for other types. */
    body: z.string().optional().meta({ template: 'json' }),
    timeout: z.number().int().positive().max(60_000).default(10_000),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** Answers that mean "try again later": the request was not handled, or the service is overloaded. */
const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Calls an HTTP endpoint; later boxes read `boxes.<id>.status` and `boxes.<id>.json`.
 * Alert data can fill in the URL and body but never choose where the request goes: each value in
 * the URL is percent-encoded as one path segment or query value, a value may not form the scheme,
 * host or port unless the flow marks it `| raw`, the rendered URL must keep the template's own
 * origin and may not climb with `..`, and `http.allow` in sidekick.yaml limits the targets (also
 * after redirects).
 *
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
  outputs: ['next', 'error'],
  produces: ['status', 'json'],
  inspect: ({ box, settings }) =>
    urlTemplateOrigin(settings.url)
      .hostValues.filter((value) => !value.raw)
      .map((value) => ({
        code: 'FLOW_URL_HOST_FROM_VALUE',
        message: `box "${box.id}": ${value.text} forms the scheme, host or port of the url, so the data would choose where the request goes; write them in the template, or mark a trusted value (never alert data) with | raw`,
        path: ['url'],
      })),
  async run(ctx) {
    let url = targetUrl(ctx);
    const headers = new Headers({ 'idempotency-key': ctx.idempotencyKey });
    for (const [name, value] of Object.entries(ctx.settings.headers)) {
      const text = ctx.render(value, 'plain').text;
      if (/[\r\n\0]/.test(text)) throw new BoxError('HTTP_BAD_HEADER', `header ${name} would contain a line break; check the values it is built from`);
      headers.set(name, text);
    }
    let method: string = ctx.settings.method;
    let body: string | undefined;
    if (ctx.settings.body !== undefined) {
      const mode = bodyMode(headers, ctx.settings.body);
      if (mode === 'json' && !headers.has('content-type')) headers.set('content-type', 'application/json');
      body = ctx.render(ctx.settings.body, mode).text;
    }
    const signal = AbortSignal.timeout(ctx.settings.timeout);
    let response: Response;
    for (let hops = 0; ; hops++) {
      try {
        response = await fetch(url, { method, headers, body, signal, redirect: 'manual' });
      } catch (error) {
        const what = (error as Error).name === 'TimeoutError' ? `no answer within ${ctx.settings.timeout} ms` : ((error as Error).message ?? String(error));
        throw new BoxError('HTTP_UNAVAILABLE', `${ctx.settings.method} ${url.host} failed (${what}); will retry`, true);
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || response.status === 304 || !location) break;
      if (hops === MAX_REDIRECTS) throw new BoxError('HTTP_TOO_MANY_REDIRECTS', `${ctx.settings.method} ${url.host} redirected more than ${MAX_REDIRECTS} times`);
      await response.body?.cancel();
      const next = resolveRedirect(location, url);
      checkTarget(ctx, next, 'was redirected to');
      // As browsers do: 303, and 301/302 after a POST, go on with a GET and no body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers.delete('content-type');
      }
      // Credentials written for one host are not sent to another.
      if (next.origin !== url.origin) headers.delete('authorization');
      url = next;
    }
    if (TRANSIENT_STATUS.has(response.status)) {
      await response.body?.cancel().catch(() => {});
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      throw new BoxError('HTTP_UNAVAILABLE', `${ctx.settings.method} ${url.host} answered ${response.status}; will retry`, true, retryAfterMs === undefined ? {} : { retryAfterMs });
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
      await ctx.timeline({ kind: 'failure', actor: 'sidekick', text: `${ctx.settings.method} ${url.host} answered ${response.status}`, data: { box: ctx.box.id } });
    }
    return { done: { port: response.ok ? 'next' : 'error', output } };
  },
};

function resolveRedirect(location: string, from: URL): URL {
  try {
    return new URL(location, from);
  } catch {
    throw new BoxError('HTTP_BAD_REDIRECT', `${from.host} redirected to something that is not a URL`);
  }
}

/** Renders the URL and refuses one whose target the data chose or the operator did not allow. */
function targetUrl(ctx: BoxContext<Settings>): URL {
  const template = urlTemplateOrigin(ctx.settings.url);
  const forming = template.hostValues.find((value) => !value.raw);
  if (forming) {
    throw new BoxError(
      'HTTP_URL_HOST_FROM_VALUE',
      `${forming.text} forms the scheme, host or port of the URL, so the data would choose where the request goes; write them in the template, or mark a trusted value with | raw`,
    );
  }
  const text = ctx.setting('url');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BoxError('HTTP_BAD_URL', 'the url is not a valid URL once rendered');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BoxError('HTTP_BAD_URL', `the url is not http(s) but ${url.protocol}`);
  if (template.literalOrigin !== undefined && url.origin !== template.literalOrigin) {
    throw new BoxError('HTTP_URL_ORIGIN_CHANGED', `the rendered url goes to ${url.origin}, not to ${template.literalOrigin} as written`);
  }
  if (hasDotSegment(text)) throw new BoxError('HTTP_URL_DOT_SEGMENT', 'the rendered url has a . or .. path segment, which would change the path the template wrote');
  checkTarget(ctx, url, 'would go to');
  return url;
}

function checkTarget(ctx: BoxContext<Settings>, url: URL, verb: string): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BoxError('HTTP_BAD_URL', `the request ${verb} a ${url.protocol} URL`);
  const targets = ctx.services.httpTargets;
  if (targets && !isAllowedTarget(url, targets)) {
    throw new BoxError('HTTP_TARGET_NOT_ALLOWED', `the request ${verb} ${url.origin}${url.pathname}, which http.allow in sidekick.yaml does not list`);
  }
}

/**
 * How the body's values are escaped, by its content type: JSON (also `+json` types, and a body that
 * starts with `{` or `[` when no type is set), form-encoded (`application/x-www-form-urlencoded`,
 * each value percent-encoded), anything else as is.
 */
function bodyMode(headers: Headers, body: string): EscapeMode {
  const type = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  // The template's own text decides: `{{ alert.labels | json }}` alone is not a JSON document.
  if (type === undefined) return /^\s*[[{]/.test(flattenLiquid(body).flat) ? 'json' : 'plain';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'url';
  return 'plain';
}

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
