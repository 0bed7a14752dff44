import { z } from 'zod';
import { httpConfigSchema } from '../boxes/http-targets.js';
import { CHAT_NAMES } from '../chat/adapters.js';

/**
 * Folders of files of one kind, watched (a later folder wins for the same id), and whether the
 * bundled examples load too (yours win over an example with the same id).
 */
function foldersSchema(dir: string) {
  return z
    .object({ dirs: z.array(z.string()).default([dir]), examples: z.boolean().default(true) })
    .strict()
    .default({ dirs: [dir], examples: true });
}

/**
 * sidekick.yaml. Integration sections (alerts, slack, teams, meetings, tracker, graphs) are validated by
 * the schemas their folders export, in load-config.ts; this file holds Sidekick's own settings.
 */
export const coreConfigSchema = z
  .object({
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(3000),
        /** The address people reach Sidekick at; every link it posts is built from it. */
        publicUrl: z.string().url('publicUrl must be a full URL such as https://sidekick.example.com').optional(),
        /** Largest request body accepted, in bytes (webhooks have their own limit in alerts.maxBodyBytes). */
        bodyLimit: z
          .number()
          .int()
          .positive()
          .default(1024 * 1024),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 3000, bodyLimit: 1024 * 1024 }),
    /** SQLite file folder. */
    dataDir: z.string().default('./.sidekick'),
    /** postgres://… switches the store to PostgreSQL. */
    databaseUrl: z.string().optional(),
    /** PostgreSQL schema to keep Sidekick's tables in (created if missing); default `public`. */
    databaseSchema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lowercase PostgreSQL identifier')
      .optional(),
    /** Flow files; the editor saves into the last folder. */
    flows: foldersSchema('./flows'),
    playbooks: foldersSchema('./playbooks'),
    chat: z
      .object({
        /** `room`: the built-in incident room; `slack`: Slack (needs the slack section); `teams`: Microsoft Teams (the teams section). */
        adapter: z.enum(CHAT_NAMES).optional(),
        /** Where incidents talk when no flow opened a channel of their own. */
        defaultChannel: z.string().default('#incidents'),
      })
      .strict()
      .default({ defaultChannel: '#incidents' }),
    web: z
      .object({
        /** Password for the web UI and API; required unless bound to loopback only. */
        password: z.string().optional(),
        /** Single sign-on through OpenID Connect (authorization code with PKCE). */
        oidc: z
          .object({
            issuer: z.string().url(),
            clientId: z.string().min(1),
            /** Optional: a public client (PKCE only) needs none. */
            clientSecret: z.string().optional(),
            /** Scopes asked for; `openid` is always included. */
            scopes: z.array(z.string()).default(['openid', 'profile', 'email']),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    report: z
      .object({
        /** A Liquid template file that replaces the built-in report layout. */
        template: z.string().optional(),
      })
      .strict()
      .default({}),
    worker: z
      .object({
        /** How many jobs (box runs, alert groupings) one instance runs at once. */
        concurrency: z.number().int().min(1).max(256).default(16),
        /** How long a claimed job is held before another instance may take it over (a crashed one's). */
        leaseMs: z.number().int().min(200).max(600_000).default(30_000),
        /** How often to look for work queued by other instances. */
        pollMs: z.number().int().min(10).max(60_000).default(500),
        /**
         * On SIGTERM, how long jobs in flight may take to finish before their leases are given
         * back and the process exits: below Kubernetes' default 30 s termination grace period.
         */
        shutdownMs: z.number().int().min(0).max(600_000).default(20_000),
      })
      .strict()
      .default({ concurrency: 16, leaseMs: 30_000, pollMs: 500, shutdownMs: 20_000 }),
    mcp: z
      .object({
        /** Offer the MCP tools that change incidents (post an update, add a decision or follow-up, change status). */
        write: z.boolean().default(false),
      })
      .strict()
      .default({ write: false }),
    /** Where http-request boxes may send requests (`allow`); see docs/operations.md. */
    http: httpConfigSchema,
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .default({ level: 'info' }),
  })
  .passthrough();

export type CoreConfig = z.infer<typeof coreConfigSchema>;
