import { SidekickError } from '../errors/sidekick-error.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z, ZodError } from 'zod';
import { coreConfigSchema } from './config-schema.js';
import { interpolateEnv } from './interpolate-env.js';
import { configSections, type SidekickConfig } from './config-sections.js';
import { CHAT_ADAPTERS } from '../chat/adapters.js';
import type { ChatAdapterEntry } from '../chat/chat-adapter-entry.js';

/** sidekick.yaml or the environment is not usable; the message names the file, line and key. */
export class ConfigError extends SidekickError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads sidekick.yaml (from `--config`, SIDEKICK_CONFIG, or ./sidekick.yaml when present; none at
 * all means the embedded defaults), interpolates `${VAR}`, applies the documented environment
 * variables, and validates every section. Errors name the file, line, key and what was expected.
 */
export function loadConfig(options: { path?: string; env?: Record<string, string | undefined>; cwd?: string } = {}): SidekickConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.path ?? env.SIDEKICK_CONFIG;
  const path = explicit ? resolve(cwd, explicit) : existsSync(resolve(cwd, 'sidekick.yaml')) ? resolve(cwd, 'sidekick.yaml') : undefined;
  if (explicit && path && !existsSync(path)) throw new ConfigError(`config file ${path} does not exist`);

  let raw: Record<string, unknown> = {};
  let lineOf: (key: (string | number)[]) => number = () => 1;
  if (path) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter, uniqueKeys: true });
    const first = doc.errors[0] ?? doc.warnings[0];
    if (first) throw new ConfigError(`${path}:${lineCounter.linePos(first.pos[0]).line} — ${first.message.split('\n')[0]}`);
    const data = doc.toJS({ maxAliasCount: 50 }) ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`${path} must be a mapping of sections`);
    raw = data as Record<string, unknown>;
    lineOf = (key) => {
      for (let length = key.length; length > 0; length--) {
        const node = doc.getIn(key.slice(0, length), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return 1;
    };
  }
  const where = path ?? 'defaults';
  const interpolated = interpolateEnv(raw, env) as Record<string, unknown>;
  applyEnvironment(interpolated, env);

  const core = parseSection(coreConfigSchema, interpolated, [], where, lineOf);
  const config: Record<string, unknown> = { ...core, configDir: path ? dirname(path) : cwd };
  for (const [name, read] of Object.entries(configSections)) {
    try {
      config[name] = read(interpolated[name] ?? {}, env);
    } catch (error) {
      const issues = (error as ZodError).issues;
      if (!Array.isArray(issues)) throw new ConfigError(`${where} ${name}: ${(error as Error).message}`);
      throw new ConfigError(`the configuration is not valid:\n  ${describeIssues(issues, [name], where, lineOf).join('\n  ')}`);
    }
  }
  const resolved = config as unknown as SidekickConfig;
  // No `chat.adapter`: the first configured adapter in the registry's order, else the room.
  const adapters: readonly ChatAdapterEntry[] = CHAT_ADAPTERS;
  resolved.chat.adapter ??= (adapters.find((adapter) => adapter.isConfigured(config[adapter.name]))?.name as SidekickConfig['chat']['adapter']) ?? 'room';
  return resolved;
}

/** The documented environment variables win over the file (12-factor deployments). */
function applyEnvironment(config: Record<string, unknown>, env: Record<string, string | undefined>): void {
  const section = (name: string) => (config[name] ??= {}) as Record<string, unknown>;
  if (env.HOST) section('server').host = env.HOST;
  if (env.PORT) section('server').port = env.PORT;
  if (env.SIDEKICK_PUBLIC_URL) section('server').publicUrl = env.SIDEKICK_PUBLIC_URL;
  if (env.SIDEKICK_DATA_DIR) config.dataDir = env.SIDEKICK_DATA_DIR;
  if (env.DATABASE_URL) config.databaseUrl = env.DATABASE_URL;
  if (env.SIDEKICK_DATABASE_SCHEMA) config.databaseSchema = env.SIDEKICK_DATABASE_SCHEMA;
  if (env.SIDEKICK_WEB_PASSWORD) section('web').password = env.SIDEKICK_WEB_PASSWORD;
  if (env.SIDEKICK_OIDC_ISSUER) {
    const web = section('web');
    const oidc = (web.oidc ??= {}) as Record<string, unknown>;
    oidc.issuer = env.SIDEKICK_OIDC_ISSUER;
    if (env.SIDEKICK_OIDC_CLIENT_ID) oidc.clientId = env.SIDEKICK_OIDC_CLIENT_ID;
    if (env.SIDEKICK_OIDC_CLIENT_SECRET) oidc.clientSecret = env.SIDEKICK_OIDC_CLIENT_SECRET;
  }
  if (env.SIDEKICK_LOG_LEVEL) section('log').level = env.SIDEKICK_LOG_LEVEL;
}

function parseSection<T>(schema: z.ZodType<T>, value: unknown, prefix: string[], file: string, lineOf: (key: (string | number)[]) => number): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ConfigError(`the configuration is not valid:\n  ${describeIssues(parsed.error.issues, prefix, file, lineOf).join('\n  ')}`);
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[], prefix: string[], file: string, lineOf: (key: (string | number)[]) => number): string[] {
  return issues.map((issue) => {
    const key = [...prefix, ...(issue.path as (string | number)[])];
    return `${file}:${lineOf(key)} ${key.join('.') || '(top level)'}: ${issue.message}`;
  });
}
