import { z } from 'zod';

/** The `meetings:` section of sidekick.yaml. Credentials come from the environment, never the file. */
export const meetingsConfigSchema = z
  .object({
    /** Defaults to `zoom` when all three ZOOM_* credentials are set, else `jitsi`. */
    provider: z.enum(['jitsi', 'zoom']).optional(),
    jitsi: z
      .object({ domain: z.string().min(1).default('meet.jit.si') })
      .strict()
      .default({ domain: 'meet.jit.si' }),
    zoom: z
      .object({
        accountId: z.string().optional(),
        clientId: z.string().optional(),
        clientSecret: z.string().optional(),
        apiUrl: z.url({ protocol: /^https?$/ }).default('https://api.zoom.us/v2'),
        oauthUrl: z.url({ protocol: /^https?$/ }).default('https://zoom.us'),
        userId: z.string().min(1).default('me'),
      })
      .strict()
      .default({ apiUrl: 'https://api.zoom.us/v2', oauthUrl: 'https://zoom.us', userId: 'me' }),
  })
  .strict();

export type MeetingsConfigInput = z.input<typeof meetingsConfigSchema>;
export type MeetingsConfig = z.output<typeof meetingsConfigSchema> & { provider: 'jitsi' | 'zoom' };

/**
 * Parses the `meetings:` section, filling Zoom settings from ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID,
 * ZOOM_CLIENT_SECRET, ZOOM_API_URL and ZOOM_OAUTH_URL where the file leaves them out.
 */
export function readMeetingsConfig(input: unknown = {}, env: NodeJS.ProcessEnv = process.env): MeetingsConfig {
  const raw = (input ?? {}) as { zoom?: Record<string, unknown> } & Record<string, unknown>;
  const zoom = { ...(raw.zoom ?? {}) };
  const fromEnv: [string, string][] = [
    ['accountId', 'ZOOM_ACCOUNT_ID'],
    ['clientId', 'ZOOM_CLIENT_ID'],
    ['clientSecret', 'ZOOM_CLIENT_SECRET'],
    ['apiUrl', 'ZOOM_API_URL'],
    ['oauthUrl', 'ZOOM_OAUTH_URL'],
  ];
  for (const [key, name] of fromEnv) if (zoom[key] === undefined && env[name]) zoom[key] = env[name];
  const parsed = meetingsConfigSchema.parse({ ...raw, zoom });
  const hasZoom = Boolean(parsed.zoom.accountId && parsed.zoom.clientId && parsed.zoom.clientSecret);
  return { ...parsed, provider: parsed.provider ?? (hasZoom ? 'zoom' : 'jitsi') };
}
