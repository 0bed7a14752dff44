import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

let version: string | undefined;

/** Sidekick's version from its package.json, for the MCP handshake. */
export function packageVersion(): string {
  if (version) return version;
  try {
    version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    version = '0.0.0';
  }
  return version;
}
