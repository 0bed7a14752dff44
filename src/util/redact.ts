/**
 * Secret redaction for everything Sidekick writes where people (or search engines) can read it:
 * reports, filed issues, error messages. Patterns are anchored on a recognisable prefix or a
 * `key=` context and use no nested quantifiers, so a hostile megabyte of text stays linear.
 */

/** What a redacted secret is replaced with. */
export const REDACTED = '[REDACTED]';

/** Configured secrets shorter than this are not redacted verbatim: "abc" would shred the report. */
const MIN_EXACT_SECRET_LENGTH = 6;

/** Key names whose values are secrets wherever they appear (`password=…`, `"token": "…"`, `--api-key …`). */
const SECRET_KEY =
  '(?:password|passwd|passphrase|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|auth[_-]?token|api[_-]?key|apikey|app[_-]?key|application[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|aws_secret_access_key|signing[_-]?secret|dd[_-]api[_-]key|dd[_-]application[_-]key|credentials?)';

/** Skips values an earlier rule already replaced, so `[REDACTED]` never turns into `[REDACTED]]`. */
const NOT_DONE = '(?!\\\\?\\[REDACTED\\\\?\\]|"\\[REDACTED\\]"|\'\\[REDACTED\\]\')';

interface Rule {
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}

const RULES: Rule[] = [
  // PEM private keys first: their body would otherwise be chewed up piecemeal by later rules.
  {
    pattern: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g,
    replace: (_m, kind: string) => `-----BEGIN ${kind}PRIVATE KEY-----${REDACTED}-----END ${kind}PRIVATE KEY-----`,
  },
  // Authorization headers of any scheme: `Authorization: Bearer x`, `Authorization: token x`, `Basic x`.
  {
    pattern: /\b(authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|token|bot|digest)\s+)?[^\s"',;]{4,}/gi,
    replace: (_m, head: string, scheme?: string) => `${head}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  },
  { pattern: /\b(bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: `$1${REDACTED}` },
  // Vendor tokens with a recognisable prefix.
  { pattern: /\bxox[abposre]-[A-Za-z0-9-]{8,}/g, replace: REDACTED },
  { pattern: /\bxoxe\.xox[bp]-[A-Za-z0-9-]{8,}/g, replace: REDACTED },
  { pattern: /\bxapp-\d-[A-Za-z0-9-]{8,}/g, replace: REDACTED },
  { pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g, replace: `https://hooks.slack.com/${REDACTED}` },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/g, replace: REDACTED },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g, replace: REDACTED },
  { pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g, replace: REDACTED },
  { pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g, replace: REDACTED },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: REDACTED },
  { pattern: /\b[sr]k_(?:live|test)_[0-9A-Za-z]{16,}/g, replace: REDACTED },
  { pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, replace: REDACTED },
  // JSON Web Tokens (Zoom access tokens, Jitsi room tokens, OIDC tokens).
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: REDACTED },
  // Credentials in URLs: postgres://user:pass@host, https://user:token@host.
  { pattern: /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,200}:)[^\s@/]{1,200}@/gi, replace: `$1${REDACTED}@` },
  // Query parameters that carry keys: ?api_key=…&application_key=… (Datadog), ?token=…, ?jwt=…
  {
    pattern: new RegExp(`([?&](?:${SECRET_KEY}|jwt|sig|signature)=)${NOT_DONE}[^&#\\s"'<>]+`, 'gi'),
    replace: `$1${REDACTED}`,
  },
  // key=value, key: value, "key": "value", --key value. Keeps the key so readers see what was there.
  {
    pattern: new RegExp(`((?:^|[^A-Za-z0-9])(?:--?)?${SECRET_KEY}["']?\\s*[:=]\\s*)${NOT_DONE}("[^"\\n]*"|'[^'\\n]*'|[^\\s,;&"'}\\]]+)`, 'gim'),
    replace: (_m, head: string, value: string) => {
      if (value.startsWith('"')) return `${head}"${REDACTED}"`;
      if (value.startsWith("'")) return `${head}'${REDACTED}'`;
      return `${head}${REDACTED}`;
    },
  },
  { pattern: new RegExp(`((?:^|\\s)--${SECRET_KEY}\\s+)(?!-)${NOT_DONE}[^\\s]+`, 'gim'), replace: `$1${REDACTED}` },
];

/** Every rule needs one of these substrings; text without any of them is returned at once. */
const MIGHT_HOLD_SECRET =
  /xox|xapp-|hooks\.slack|gh[pousr]_|github_pat_|glpat-|AKIA|ASIA|ABIA|ACCA|AIza|[sr]k_(?:live|test)|npm_|eyJ|:\/\/[^\s/]*:|PRIVATE KEY|bearer|authorization|pass|secret|token|key|credential|jwt|sig/i;

/**
 * Replaces tokens, passwords and keys in `text` with `[REDACTED]`: common vendor token shapes,
 * `password=…`-style pairs, Authorization headers, private key blocks, JWTs, URL credentials, and
 * every exact string in `extra` (configured secrets).
 */
export function redactSecrets(text: string, extra: readonly string[] = []): string {
  let out = text;
  // Exact secrets first: a configured secret may not look like any known pattern.
  for (const secret of usableSecrets(extra)) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  // Most strings (ids, times, chat chatter) contain nothing any rule could match: one cheap test.
  if (!MIGHT_HOLD_SECRET.test(out)) return out;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: unknown[]) => string);
  }
  return out;
}

/** Key names (in objects such as alert payloads) whose values are always hidden. */
const SECRET_KEY_NAME = new RegExp(`^(?:x-)?${SECRET_KEY}$|^authorization$|^cookie$|^set-cookie$|^x-api-key$`, 'i');

/**
 * Redacts a JSON-like value deeply: strings through `redactSecrets`, and whole values under keys
 * that name a secret (`password`, `token`, `api_key`, `authorization`…). Cycles become "[Circular]".
 */
export function redactValue<T>(value: T, extra: readonly string[] = []): T {
  // Only an object that contains itself is a cycle; the same object reached twice (shared, not
  // nested) is redacted twice, not replaced.
  const ancestors = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactSecrets(v, extra);
    if (v === null || typeof v !== 'object') return v;
    if (ancestors.has(v)) return '[Circular]';
    ancestors.add(v);
    try {
      if (Array.isArray(v)) return v.map(walk);
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(v)) {
        out[key] = SECRET_KEY_NAME.test(key) && inner !== null && inner !== '' && typeof inner !== 'object' ? REDACTED : walk(inner);
      }
      return out;
    } finally {
      ancestors.delete(v);
    }
  };
  return walk(value) as T;
}

function usableSecrets(extra: readonly string[]): string[] {
  // Longest first, so a secret that contains another is replaced whole.
  return [...new Set(extra.filter((s) => typeof s === 'string' && s.length >= MIN_EXACT_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
}

/**
 * Paths for pino's `redact` option, so request headers and configured credentials never reach a
 * log line: `pino({ redact: { paths: LOG_REDACT_PATHS, censor: '[REDACTED]' } })`.
 */
export const LOG_REDACT_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'req.headers["x-pagerduty-signature"]',
  'req.headers["dd-api-key"]',
  'req.headers["dd-application-key"]',
  'headers.authorization',
  'headers.cookie',
  '*.token',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.apiKey',
  '*.appKey',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.accessToken',
  '*.access_token',
];

/** Values of the environment variables that hold Sidekick's secrets, for `redactSecrets(text, extra)`. */
export function configuredSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const names = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'ZOOM_CLIENT_SECRET', 'GITHUB_TOKEN', 'DATADOG_API_KEY', 'DATADOG_APP_KEY', 'SIDEKICK_SECRET'];
  const values = names.map((n) => env[n]).filter((v): v is string => typeof v === 'string' && v.length > 0);
  const db = env.DATABASE_URL ? /:\/\/[^:/@]+:([^@]+)@/.exec(env.DATABASE_URL)?.[1] : undefined;
  if (db) values.push(decodeURIComponent(db));
  return values;
}
