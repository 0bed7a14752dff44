import { z } from 'zod';

/** The `graphs:` section of sidekick.yaml. Keys come from the environment, never the file. */
export const graphsConfigSchema = z
  .object({
    /** Defaults to `datadog` when DATADOG_API_KEY and DATADOG_APP_KEY are set, else `none`. */
    provider: z.enum(['none', 'datadog']).optional(),
    datadog: z
      .object({
        apiKey: z.string().optional(),
        appKey: z.string().optional(),
        apiUrl: z.url({ protocol: /^https?$/ }).default('https://api.datadoghq.com'),
      })
      .strict()
      .default({ apiUrl: 'https://api.datadoghq.com' }),
  })
  .strict();

export type GraphsConfig = z.output<typeof graphsConfigSchema> & { provider: 'none' | 'datadog' };

/** Parses `graphs:`, filling Datadog settings from DATADOG_API_KEY, DATADOG_APP_KEY and DATADOG_API_URL. */
export function readGraphsConfig(input: unknown = {}, env: NodeJS.ProcessEnv = process.env): GraphsConfig {
  const raw = (input ?? {}) as { datadog?: Record<string, unknown> } & Record<string, unknown>;
  const datadog = { ...(raw.datadog ?? {}) };
  if (datadog.apiKey === undefined && env.DATADOG_API_KEY) datadog.apiKey = env.DATADOG_API_KEY;
  if (datadog.appKey === undefined && env.DATADOG_APP_KEY) datadog.appKey = env.DATADOG_APP_KEY;
  if (datadog.apiUrl === undefined && env.DATADOG_API_URL) datadog.apiUrl = env.DATADOG_API_URL;
  const parsed = graphsConfigSchema.parse({ ...raw, datadog });
  const hasKeys = Boolean(parsed.datadog.apiKey && parsed.datadog.appKey);
  return { ...parsed, provider: parsed.provider ?? (hasKeys ? 'datadog' : 'none') };
}
