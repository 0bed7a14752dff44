import type { SourceAuth } from './alerts-config.js';

// Headers that commonly carry credentials, whatever a source's config says.
const SECRET_HEADER = /authorization|cookie|token|secret|password|passwd|api[-_]?key|signature|session|credential/i;

/**
 * Request headers safe to keep with a dead letter: repeated headers are joined, and any header
 * that carries (or might carry) a credential is dropped, including the configured ones.
 */
export function redactHeaders(headers: Readonly<Record<string, string | string[] | undefined>>, credentials: readonly SourceAuth[]): Record<string, string> {
  const configured = new Set<string>();
  for (const credential of credentials) {
    if (credential.type === 'header') configured.add(credential.name.toLowerCase());
    if (credential.type === 'hmac') configured.add(credential.header.toLowerCase());
  }
  const kept: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || SECRET_HEADER.test(lower) || configured.has(lower)) continue;
    kept.push([lower, Array.isArray(value) ? value.join(', ') : value]);
  }
  return Object.fromEntries(kept);
}
