/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed config. Done on parsed
 * values, not on the file's text, so an environment value can never inject YAML structure.
 * Returns the names of variables that were referenced but unset (with no default).
 */
export function interpolateEnv(value: unknown, env: Record<string, string | undefined>, unset: Set<string> = new Set()): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback?: string) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      unset.add(name);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item) => interpolateEnv(item, env, unset));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env, unset)]));
  }
  return value;
}
