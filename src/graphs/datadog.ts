import type { Graph, GraphProvider, GraphRequest } from './graph-provider.js';
import { GraphError } from './graph-error.js';
import { parseRetryAfter } from '../util/http-retry.js';

export interface DatadogOptions {
  apiKey: string;
  appKey: string;
  /** The site's API host: https://api.datadoghq.com, https://api.datadoghq.eu, https://api.us5.datadoghq.com… */
  apiUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface SnapshotResponse {
  graph_def?: string;
  metric_query?: string;
  snapshot_url?: string;
}

/**
 * Datadog graph snapshots (`GET /api/v1/graph/snapshot`): a PNG of a metric query over the
 * incident's window. Datadog renders the image after answering, so the URL may 404 for a few
 * seconds; by the time anyone reads the report it is there.
 */
export class DatadogGraphs implements GraphProvider {
  readonly name = 'datadog';
  private readonly apiUrl: string;

  constructor(private readonly options: DatadogOptions) {
    this.apiUrl = (options.apiUrl ?? 'https://api.datadoghq.com').replace(/\/+$/, '');
  }

  async snapshot(request: GraphRequest): Promise<Graph> {
    if (!this.options.apiKey || !this.options.appKey) {
      throw new GraphError('GRAPH_NOT_CONFIGURED', 'Datadog snapshots need both DATADOG_API_KEY and DATADOG_APP_KEY');
    }
    const start = Math.floor(Date.parse(request.start) / 1000);
    const end = Math.ceil(Date.parse(request.end) / 1000);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
      throw new GraphError('GRAPH_REJECTED', `the graph window ${request.start} → ${request.end} is not a valid time range`);
    }
    const query = request.query.replace(/[\r\n]+/g, ' ').trim();
    if (!query) throw new GraphError('GRAPH_REJECTED', 'the graph needs a metric query');
    const params = new URLSearchParams({ metric_query: query, start: String(start), end: String(end) });
    if (request.title) params.set('title', request.title.slice(0, 200));
    const response = await this.get(`${this.apiUrl}/api/v1/graph/snapshot?${params}`);
    if (!response.ok) throw await toGraphError(response);
    const body = (await response.json().catch(() => ({}))) as SnapshotResponse;
    if (typeof body.snapshot_url !== 'string' || !/^https?:\/\//.test(body.snapshot_url)) {
      throw new GraphError('GRAPH_UNAVAILABLE', 'Datadog answered without a snapshot_url');
    }
    return { title: request.title ?? query, imageUrl: body.snapshot_url };
  }

  private async get(url: string): Promise<Response> {
    try {
      return await (this.options.fetch ?? fetch)(url, {
        headers: { 'DD-API-KEY': this.options.apiKey, 'DD-APPLICATION-KEY': this.options.appKey, accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new GraphError('GRAPH_UNAVAILABLE', `Datadog API at ${this.apiUrl} did not answer: ${(error as Error).message}`);
    }
  }
}

async function toGraphError(response: Response): Promise<GraphError> {
  const text = await response.text().catch(() => '');
  let said = response.statusText;
  try {
    const errors = (JSON.parse(text) as { errors?: unknown }).errors;
    if (Array.isArray(errors)) said = errors.map(String).join('; ').slice(0, 300);
  } catch {
    /* not JSON: keep the status text */
  }
  const status = response.status;
  if (status === 403 || status === 401) {
    return new GraphError('GRAPH_AUTH_FAILED', `Datadog refused the keys (${status} ${said}); check DATADOG_API_KEY, DATADOG_APP_KEY and DATADOG_API_URL (the keys belong to one Datadog site)`, {
      status,
    });
  }
  if (status === 429) {
    const reset = response.headers.get('x-ratelimit-reset');
    const retryAfterMs = reset && /^\d+$/.test(reset) ? Number(reset) * 1000 : parseRetryAfter(response.headers.get('retry-after'));
    return new GraphError('GRAPH_RATE_LIMITED', `Datadog rate limit reached (${said})`, { status, retryAfterMs });
  }
  if (status >= 500) return new GraphError('GRAPH_UNAVAILABLE', `Datadog answered ${status}: ${said}`, { status });
  return new GraphError('GRAPH_REJECTED', `Datadog answered ${status}: ${said}`, { status });
}
