import { z } from 'zod';
import { genericMappingSchema, type GenericMapping } from './generic-mapping.js';
import { alertSourceNames, getAlertSource } from './sources/index.js';
import { durationMsSchema } from '../util/duration.js';

export { genericMappingSchema, type GenericMapping };

const duration = durationMsSchema;

const secret = z
  .string({ error: 'expected a secret string, e.g. ${SIDEKICK_WEBHOOK_TOKEN} from the environment' })
  .min(1, 'expected a non-empty secret; is the environment variable it comes from set?');
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'expected an HTTP header name such as X-Webhook-Token');

const authSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('bearer'), token: secret }),
    z.strictObject({ type: z.literal('basic'), username: z.string().min(1, 'expected a user name'), password: secret }),
    z.strictObject({ type: z.literal('header'), name: headerName, value: secret }),
    z.strictObject({
      type: z.literal('hmac'),
      /** Defaults to the vendor's header (PagerDuty, Grafana); required for other sources. */
      header: headerName.optional(),
      secret,
      algorithm: z.enum(['sha256', 'sha512']).default('sha256'),
      /** Text before the signature, e.g. PagerDuty's `v1=`. */
      prefix: z.string().optional(),
      encoding: z.enum(['hex', 'base64']).optional(),
      /** A header with the unix time the sender signed at; the signed text is then `<time>:<body>`. */
      timestampHeader: headerName.optional(),
      /** How old a signed timestamp may be before the request counts as a replay. */
      replayWindow: duration.prefault('5m'),
    }),
  ],
  { error: 'expected auth.type to be one of bearer, basic, header, hmac' },
);

const sourceSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** One credential, or several (any one matching is accepted, for rotation). */
  auth: z.union([authSchema, z.array(authSchema).min(1)]).optional(),
  mapping: genericMappingSchema.optional(),
});

type AuthInput = z.output<typeof authSchema>;
type HmacInput = Extract<AuthInput, { type: 'hmac' }>;
/** A credential with the vendor's defaults filled in. */
export type SourceAuth = Exclude<AuthInput, HmacInput> | (Omit<HmacInput, 'header' | 'encoding' | 'replayWindow'> & { header: string; encoding: 'hex' | 'base64'; replayWindowMs: number });
/** `alerts.sources.<name>` after validation. */
export interface SourceConfig {
  enabled: boolean;
  auth: SourceAuth[];
  mapping?: GenericMapping;
}

const sourcesSchema = z.record(z.string(), sourceSchema).transform((sources, ctx) => {
  const resolved: Record<string, SourceConfig> = {};
  for (const [name, source] of Object.entries(sources)) {
    const vendor = getAlertSource(name);
    if (!vendor) {
      ctx.addIssue({ code: 'custom', path: [name], message: `unknown alert source "${name}"; expected one of ${alertSourceNames().join(', ')}` });
      continue;
    }
    if (source.mapping && name !== 'generic') {
      ctx.addIssue({ code: 'custom', path: [name, 'mapping'], message: 'only the generic source takes a mapping' });
    }
    const auth = (source.auth === undefined ? [] : Array.isArray(source.auth) ? source.auth : [source.auth]).map((credential, index): SourceAuth => {
      if (credential.type !== 'hmac') return credential;
      const { replayWindow, ...rest } = credential;
      const defaults = vendor.hmacDefaults;
      const header = credential.header ?? defaults?.header;
      // The vendor's prefix and timestamp header come with the vendor's signature header.
      const vendorHeader = defaults !== undefined && header?.toLowerCase() === defaults.header.toLowerCase();
      if (!header) {
        const at = Array.isArray(source.auth) ? ['auth', index, 'header'] : ['auth', 'header'];
        ctx.addIssue({ code: 'custom', path: [name, ...at], message: 'expected the name of the header that carries the signature' });
      }
      return {
        ...rest,
        header: header ?? '',
        prefix: credential.prefix ?? (vendorHeader ? defaults.prefix : undefined),
        encoding: credential.encoding ?? (vendorHeader ? defaults.encoding : undefined) ?? 'hex',
        timestampHeader: credential.timestampHeader ?? (vendorHeader ? defaults.timestampHeader : undefined),
        replayWindowMs: replayWindow,
      };
    });
    resolved[name] = {
      enabled: source.enabled,
      auth,
      ...(name === 'generic' ? { mapping: source.mapping ?? genericMappingSchema.parse({}) } : {}),
    };
  }
  return resolved;
});

/** The `alerts:` section of sidekick.yaml. Durations come out in milliseconds. */
export const alertsConfigSchema = z.strictObject({
  /** Larger bodies are refused with 413 before they are parsed. */
  maxBodyBytes: z
    .number({ error: 'expected a number of bytes, e.g. 1048576' })
    .int()
    .min(1024, 'expected at least 1024 bytes')
    .max(64 * 1024 * 1024, 'expected at most 64 MiB')
    .default(1024 * 1024),
  /** Identical payloads within this window are recorded once (redeliveries, repeat notifications). */
  dedupWindow: duration.prefault('5m'),
  /** Per source; a source not listed is enabled without credentials (loopback binds only). */
  sources: sourcesSchema.prefault({}),
  grouping: z
    .strictObject({
      /** Label names; alerts with the same values for them fold into one incident. */
      by: z.array(z.string().min(1, 'expected a label name')).default([]),
      /** A resolved incident whose alert fires again within this window is reopened. */
      flapWindow: duration.prefault('10m'),
      /** New alerts of an incident are summarised in one message at most this often. */
      digestInterval: duration.prefault('60s'),
      /** Whether an incident resolves when all of its alerts resolved, or any one. */
      resolveWhen: z.enum(['all', 'any'], { error: 'expected all or any' }).default('all'),
      /**
       * The storm guard: beyond `maxNewIncidents` new incidents from one source within `window`,
       * further new groups fold into one alert-storm incident (0 turns it off).
       */
      storm: z
        .strictObject({
          maxNewIncidents: z.number({ error: 'expected a number of incidents, e.g. 10 (0 turns the guard off)' }).int().min(0).default(10),
          window: duration.prefault('1m'),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** The validated `alerts:` section. */
export type AlertsConfig = z.output<typeof alertsConfigSchema>;
/** The `alerts:` section as written in sidekick.yaml. */
export type AlertsConfigInput = z.input<typeof alertsConfigSchema>;

/** The settings of one source: the configured ones, or enabled without credentials when absent. */
export function sourceConfigOf(config: AlertsConfig, name: string): SourceConfig {
  const configured = Object.hasOwn(config.sources, name) ? config.sources[name] : undefined;
  if (configured) return configured;
  return { enabled: true, auth: [], ...(name === 'generic' ? { mapping: genericMappingSchema.parse({}) } : {}) };
}

/** Enabled sources that have no credential: the server warns about them at start. */
export function unauthenticatedSources(config: AlertsConfig): string[] {
  return alertSourceNames().filter((name) => {
    const source = sourceConfigOf(config, name);
    return source.enabled && source.auth.length === 0;
  });
}
