/**
 * A fake Datadog API on 127.0.0.1: `GET /api/v1/graph/snapshot` with key checks and Datadog's
 * shapes (integrations.md §5), and the PNG behind each snapshot_url.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** A valid 1×1 transparent PNG. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export interface FakeDatadog {
  url: string;
  /** Snapshot requests as received (query parameters). */
  snapshots: Record<string, string>[];
  /** The next `count` requests answer 429 with Datadog's rate-limit headers. */
  rateLimitNext(count: number, resetSeconds?: number): void;
  close(): Promise<void>;
}

/** Starts the fake; requests must carry exactly these keys. */
export async function startFakeDatadog(keys: { apiKey?: string; appKey?: string } = {}): Promise<FakeDatadog> {
  const apiKey = keys.apiKey ?? '0123456789abcdef0123456789abcdef';
  const appKey = keys.appKey ?? 'fedcba9876543210fedcba9876543210fedcba98';
  const images = new Set<string>();
  let limited = 0;
  let resetSeconds = 7;
  const state: FakeDatadog = {
    url: '',
    snapshots: [],
    rateLimitNext: (count, reset = 7) => {
      limited = count;
      resetSeconds = reset;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname.startsWith('/snapshot/view/')) {
      if (!images.has(url.pathname)) return json(res, 404, { errors: ['Not found'] });
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': TINY_PNG.length });
      return res.end(TINY_PNG);
    }
    if (url.pathname !== '/api/v1/graph/snapshot') return json(res, 404, { errors: ['Not found'] });
    if (req.method !== 'GET') return json(res, 405, { errors: ['Method Not Allowed'] });
    if (req.headers['dd-api-key'] !== apiKey || req.headers['dd-application-key'] !== appKey) {
      return json(res, 403, { errors: ['Forbidden'] });
    }
    const rate = { 'x-ratelimit-limit': '60', 'x-ratelimit-period': '60', 'x-ratelimit-name': 'snapshot', 'x-ratelimit-reset': String(resetSeconds) };
    if (limited > 0) {
      limited--;
      return json(res, 429, { errors: ['Too many requests'] }, { ...rate, 'x-ratelimit-remaining': '0' });
    }
    const params = Object.fromEntries(url.searchParams);
    state.snapshots.push(params);
    const start = Number(params.start);
    const end = Number(params.end);
    if (!params.start || !params.end || !Number.isInteger(start) || !Number.isInteger(end)) {
      return json(res, 400, { errors: ["The parameter 'start' and 'end' are required and must be POSIX timestamps"] });
    }
    if (!params.metric_query && !params.graph_def) {
      return json(res, 400, { errors: ['Either metric_query or graph_def is required'] });
    }
    const path = `/snapshot/view/dd-snapshots-prod/org_4242/${new Date().toISOString().slice(0, 10)}/${randomBytes(20).toString('hex')}.png`;
    images.add(path);
    const graphDef = params.graph_def ?? JSON.stringify({ requests: [{ q: params.metric_query }], viz: 'timeseries', events: [] });
    json(res, 200, { graph_def: graphDef, metric_query: params.metric_query ?? '', snapshot_url: `${state.url}${path}` }, { ...rate, 'x-ratelimit-remaining': '59' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
