import type { Logger } from 'pino';
import type { GraphProvider } from './graph-provider.js';
import { readGraphsConfig } from './graphs-config.js';
import { DatadogGraphs } from './datadog.js';
import { GraphError } from './graph-error.js';

/**
 * Builds the configured graph provider, or none: reports then carry links to the graphs the
 * alerts came with, without pictures. Takes the raw `graphs:` section or a parsed one.
 */
export function createGraphs(config: unknown, deps: { log?: Logger; env?: NodeJS.ProcessEnv; fetch?: typeof fetch } = {}): GraphProvider | undefined {
  const parsed = readGraphsConfig(config, deps.env ?? process.env);
  if (parsed.provider === 'none') return undefined;
  const { apiKey, appKey, apiUrl } = parsed.datadog;
  if (!apiKey || !appKey) {
    throw new GraphError('GRAPH_NOT_CONFIGURED', 'graphs.provider is "datadog" but DATADOG_API_KEY or DATADOG_APP_KEY is not set; set both or remove the provider');
  }
  deps.log?.info({ apiUrl }, 'graph snapshots from Datadog');
  return new DatadogGraphs({ apiKey, appKey, apiUrl, fetch: deps.fetch });
}
