import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { createTestContext } from './testing/create-test-context.js';
import { anIncident } from '../incidents/testing/an-incident.js';
import { HOSTILE_VALUES } from '../templates/hostile-values.js';
import { BoxError } from './box-error.js';
import { httpRequestBox } from './http-request.js';
import { parseHttpTarget, type HttpTarget } from './http-targets.js';

interface Received {
  method: string;
  /** The request target exactly as it arrived: path and query, still percent-encoded. */
  target: string;
  contentType?: string;
  authorization?: string;
  body: string;
}

let server: Server;
let base: string;
const received: Received[] = [];
/** Answers by path: a redirect (`location`) or JSON. */
const redirects = new Map<string, { status: number; location: string }>();

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        target: request.url ?? '',
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const redirect = redirects.get((request.url ?? '').split('?')[0]!);
      if (redirect) {
        response.writeHead(redirect.status, { location: redirect.location }).end();
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
  redirects.clear();
});

const incident = anIncident({ id: 'inc_1' });

/** Runs the box once with these settings and this scope, the way the engine does. */
async function runBox(settings: Record<string, unknown>, scope: Record<string, unknown>, targets?: HttpTarget[]) {
  return httpRequestBox.run(createTestContext(httpRequestBox, { settings, incident, scope, services: { httpTargets: targets } }));
}

async function refusal(settings: Record<string, unknown>, scope: Record<string, unknown>, targets?: HttpTarget[]): Promise<string> {
  try {
    await runBox(settings, scope, targets);
  } catch (error) {
    if (error instanceof BoxError) return error.code;
    throw error;
  }
  throw new Error('the request was sent');
}

/** RFC 3986 percent-encoding of everything but unreserved characters, written independently of the code under test. */
function percentEncoded(value: string): string {
  return [...new TextEncoder().encode(value)]
    .map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) && byte < 0x80 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

const alertWith = (v: string) => ({ alert: { labels: { v, host: v }, raw: { count: 5, tags: ['db', v] } } });
const VALUES = [...HOSTILE_VALUES, '../slack/api/x?#', 'evil.example.com', '@evil.example.com', '%2e%2e', 'a/b', 'a&b=c', '+ =;'];

describe('http-request: values in the url', () => {
  it('sends every hostile value as one path segment and one query value, exactly percent-encoded', async () => {
    for (const value of VALUES) {
      received.length = 0;
      await runBox({ url: `${base}/api/items/{{ alert.labels.v }}?q={{ alert.labels.v }}&x=1` }, alertWith(value));
      const expected = `/api/items/${percentEncoded(value)}?q=${percentEncoded(value)}&x=1`;
      expect(
        received.map((r) => r.target),
        JSON.stringify(value),
      ).toEqual([expected]);
      const url = new URL(received[0]!.target, base);
      expect(url.searchParams.get('q')).toBe(value);
      expect(url.searchParams.get('x')).toBe('1');
    }
  });

  it('keeps a label like ../slack/api/x?# inside its segment', async () => {
    await runBox({ url: `${base}/hooks/{{ alert.labels.v }}/send` }, alertWith('../slack/api/x?#'));
    expect(received.map((r) => r.target)).toEqual(['/hooks/..%2Fslack%2Fapi%2Fx%3F%23/send']);
  });

  it('refuses a url whose host, scheme or port a value would form, and sends nothing', async () => {
    const port = new URL(base).port;
    for (const url of [
      'http://{{ alert.labels.host }}/x',
      `http://127.0.0.1:{{ alert.labels.host }}/x`,
      `http://127.0.0.1:${port}{{ alert.labels.host }}`,
      '{{ alert.labels.host }}/x',
      '{{ alert.labels.host }}://127.0.0.1/x',
      `http://{{ alert.labels.host }}@127.0.0.1:${port}/x`,
      `http://{% if alert %}127.0.0.1{% endif %}:${port}/x`,
    ]) {
      expect(await refusal({ url }, alertWith(`127.0.0.1:${port}`)), url).toBe('HTTP_URL_HOST_FROM_VALUE');
    }
    expect(received).toEqual([]);
  });

  it('takes the base url from a value the flow marks | raw, and still encodes the rest', async () => {
    await runBox({ url: '{{ vars.base | raw }}/api/{{ alert.labels.v }}' }, { vars: { base }, ...alertWith('a b/c') });
    expect(received.map((r) => r.target)).toEqual(['/api/a%20b%2Fc']);
  });

  it('refuses . and .. path segments, which would climb out of the written path', async () => {
    expect(await refusal({ url: `${base}/api/{{ alert.labels.v }}/x` }, alertWith('..'))).toBe('HTTP_URL_DOT_SEGMENT');
    expect(await refusal({ url: `${base}/api/{{ alert.labels.v }}/x` }, alertWith('.'))).toBe('HTTP_URL_DOT_SEGMENT');
    expect(await refusal({ url: `${base}/api/{{ vars.p | raw }}/x` }, { vars: { p: '%2E%2e' } })).toBe('HTTP_URL_DOT_SEGMENT');
    expect(received).toEqual([]);
    await runBox({ url: `${base}/api/{{ alert.labels.v }}/x` }, alertWith('...'));
    expect(received.map((r) => r.target)).toEqual(['/api/.../x']);
  });
});

describe('http-request: the body follows its content type', () => {
  it('JSON: a value inside a string is string content, elsewhere a JSON value', async () => {
    const body =
      '{"title": "{{ alert.labels.v }}", "value": {{ alert.labels.v }}, "count": {{ alert.raw.count }}, "tags": {{ alert.raw.tags }}, "labels": {{ alert.labels | json }}, "note": "{{ alert.labels | json }}"}';
    for (const value of VALUES) {
      received.length = 0;
      await runBox({ url: `${base}/json`, method: 'POST', body }, alertWith(value));
      expect(received[0]!.contentType).toBe('application/json');
      expect(JSON.parse(received[0]!.body), JSON.stringify(value)).toEqual({
        title: value,
        value,
        count: 5,
        tags: ['db', value],
        labels: { v: value, host: value },
        note: JSON.stringify({ v: value, host: value }),
      });
    }
  });

  it('JSON with an explicit +json content type, and a missing value as a JSON string', async () => {
    await runBox({ url: `${base}/json`, method: 'POST', headers: { 'Content-Type': 'application/vnd.api+json' }, body: '{"a": {{ alert.raw.nope }}, "b": "{{ alert.raw.nope }}"}' }, alertWith('x'));
    expect(received[0]!.contentType).toBe('application/vnd.api+json');
    expect(JSON.parse(received[0]!.body)).toEqual({ a: '⟨missing: alert.raw.nope⟩', b: '⟨missing: alert.raw.nope⟩' });
  });

  it('form-encoded: each value percent-encoded, so it stays one field', async () => {
    for (const value of VALUES) {
      received.length = 0;
      await runBox({ url: `${base}/form`, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'text={{ alert.labels.v }}&channel=ops' }, alertWith(value));
      expect(received[0]!.body, JSON.stringify(value)).toBe(`text=${percentEncoded(value)}&channel=ops`);
      const form = new URLSearchParams(received[0]!.body);
      expect([...form.keys()]).toEqual(['text', 'channel']);
      expect(form.get('text')).toBe(value);
    }
  });

  it('refuses a value right after a backslash in a JSON string, and sends nothing', async () => {
    await expect(runBox({ url: `${base}/json`, method: 'POST', body: '{"a": "x\\{{ alert.labels.v }}"}' }, alertWith('", "admin": true, "b": "'))).rejects.toMatchObject({
      code: 'TEMPLATE_JSON_CONTEXT',
    });
    expect(received).toEqual([]);
  });

  it('sends a body without a content type and without a JSON shape as written', async () => {
    await runBox({ url: `${base}/text`, method: 'POST', body: '{{ alert.labels | json }}' }, alertWith('a"b'));
    expect(received[0]!.contentType).toBe('text/plain;charset=UTF-8');
    expect(JSON.parse(received[0]!.body)).toEqual({ v: 'a"b', host: 'a"b' });
  });

  it('refuses a header value with a line break', async () => {
    expect(await refusal({ url: `${base}/h`, headers: { 'x-host': '{{ alert.labels.v }}' } }, alertWith('a\r\nx-evil: 1'))).toBe('HTTP_BAD_HEADER');
  });
});

describe('http-request: http.allow', () => {
  it('sends only to listed hosts and URL prefixes, redirects included', async () => {
    const port = new URL(base).port;
    const prefix = [parseHttpTarget(`${base}/hooks`)];
    await runBox({ url: `${base}/hooks/a` }, {}, prefix);
    await runBox({ url: `${base}/hooks` }, {}, prefix);
    expect(await refusal({ url: `${base}/hooks-evil` }, {}, prefix)).toBe('HTTP_TARGET_NOT_ALLOWED');
    expect(await refusal({ url: `${base}/other` }, {}, prefix)).toBe('HTTP_TARGET_NOT_ALLOWED');
    expect(await refusal({ url: `http://localhost:${port}/hooks/a` }, {}, prefix)).toBe('HTTP_TARGET_NOT_ALLOWED');
    expect(received.map((r) => r.target)).toEqual(['/hooks/a', '/hooks']);

    received.length = 0;
    redirects.set('/hooks/jump', { status: 302, location: '/other' });
    expect(await refusal({ url: `${base}/hooks/jump` }, {}, prefix)).toBe('HTTP_TARGET_NOT_ALLOWED');
    expect(received.map((r) => r.target)).toEqual(['/hooks/jump']);

    received.length = 0;
    const hosts = [parseHttpTarget(`127.0.0.1:${port}`)];
    await runBox({ url: `${base}/hooks/jump` }, {}, hosts);
    expect(received.map((r) => r.target)).toEqual(['/hooks/jump', '/other']);
    expect(await refusal({ url: `${base}/x` }, {}, [parseHttpTarget('127.0.0.1:1')])).toBe('HTTP_TARGET_NOT_ALLOWED');
    expect(await refusal({ url: `${base}/x` }, {}, [parseHttpTarget('*.example.com')])).toBe('HTTP_TARGET_NOT_ALLOWED');
  });

  it('follows redirects itself: 303 becomes a GET, 307 keeps the body, at most 5 hops', async () => {
    redirects.set('/see-other', { status: 303, location: '/done' });
    redirects.set('/temporary', { status: 307, location: '/done' });
    await runBox({ url: `${base}/see-other`, method: 'POST', body: '{"a": 1}' }, {});
    await runBox({ url: `${base}/temporary`, method: 'POST', body: '{"a": 1}' }, {});
    expect(received.map((r) => [r.method, r.target, r.body])).toEqual([
      ['POST', '/see-other', '{"a": 1}'],
      ['GET', '/done', ''],
      ['POST', '/temporary', '{"a": 1}'],
      ['POST', '/done', '{"a": 1}'],
    ]);
    redirects.set('/loop', { status: 302, location: '/loop' });
    expect(await refusal({ url: `${base}/loop` }, {})).toBe('HTTP_TOO_MANY_REDIRECTS');
  });
});

describe('http.allow entries', () => {
  it('reads hosts, ports, wildcards and URL prefixes, and refuses anything else', () => {
    expect(parseHttpTarget('Hooks.Example.com')).toEqual({ kind: 'host', hostname: 'hooks.example.com', subdomains: false });
    expect(parseHttpTarget('api.internal:8443')).toEqual({ kind: 'host', hostname: 'api.internal', port: '8443', subdomains: false });
    expect(parseHttpTarget('*.example.com')).toEqual({ kind: 'host', hostname: 'example.com', subdomains: true });
    expect(parseHttpTarget('https://hooks.slack.com/services/')).toEqual({ kind: 'prefix', origin: 'https://hooks.slack.com', path: '/services/' });
    for (const bad of ['ftp://x/', 'https://x/?q=1', 'a/b', '', 'user@host', 'https://u:p@x/']) expect(() => parseHttpTarget(bad), bad).toThrow();
  });
});

describe('http.allow in sidekick.yaml', () => {
  it('is read from the file, and a bad entry is a config error naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-http-allow-'));
    try {
      writeFileSync(join(dir, 'sidekick.yaml'), 'http:\n  allow:\n    - https://hooks.slack.com/services/\n    - "*.internal.example"\n');
      expect(loadConfig({ cwd: dir, env: {} }).http.allow).toEqual(['https://hooks.slack.com/services/', '*.internal.example']);
      expect(loadConfig({ cwd: join(dir, 'nowhere'), env: {} }).http.allow).toBeUndefined();
      writeFileSync(join(dir, 'sidekick.yaml'), 'http:\n  allow:\n    - https://ok.example/\n    - gopher://evil.example/\n');
      expect(() => loadConfig({ cwd: dir, env: {} })).toThrow(/sidekick\.yaml:4.*gopher:\/\/evil\.example\/" is not an http\(s\) URL/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
