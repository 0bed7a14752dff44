import { StoreError } from './store-error.js';

/** ISO 8601 → epoch ms; throws STORE_INVALID_TIME so a bad time never sorts silently wrong. */
export function toMillis(iso: string, field: string): number {
  const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new StoreError('STORE_INVALID_TIME', `${field} must be an ISO 8601 instant, got ${describe(iso)}`);
  }
  return ms;
}

/** Like `toMillis` for optional times: undefined and null stay null. */
export function toMillisOrNull(iso: string | undefined | null, field: string): number | null {
  return iso === undefined || iso === null ? null : toMillis(iso, field);
}

/** Epoch ms (a number, or a numeric string from a driver) → ISO 8601 in UTC. */
export function toIso(ms: number | string): string {
  return new Date(Number(ms)).toISOString();
}

/** Like `toIso`; null becomes undefined (absent on the domain object). */
export function toIsoOrUndefined(ms: number | string | null): string | undefined {
  return ms === null ? undefined : toIso(ms);
}

/** Serialises a value for a JSON text column; `undefined` is stored as JSON null. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Like `toJsonText`, but undefined and null become SQL NULL (an absent optional field). */
export function toJsonTextOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** For `unknown` values: only undefined becomes SQL NULL, a JSON null is kept as such. */
export function toJsonTextUnlessUndefined(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Parses a JSON text column. */
export function fromJsonText<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Parses a nullable JSON text column; NULL becomes undefined. */
export function fromJsonTextOrUndefined<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

/** null → undefined, for optional fields of domain objects. */
export function orUndefined<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

/** Clamps a caller's `limit` (possibly NaN, negative or huge, e.g. from a query string). */
export function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(0, Math.min(Math.floor(limit), max));
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Removes keys whose value is undefined, so that absent optional fields are really absent. */
export function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
