import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The raw bytes of `test/fixtures/alerts/<path>`, e.g. `datadog/default-triggered.json`. */
export function fixtureBytes(path: string): Buffer {
  return readFileSync(`${ROOT}fixtures/alerts/${path}`);
}

/** The parsed JSON of `test/fixtures/alerts/<path>`. */
export function fixture(path: string): unknown {
  return JSON.parse(fixtureBytes(path).toString('utf8'));
}

/** The parsed JSON of a bundled example in `examples/alerts/`. */
export function example(name: string): unknown {
  return JSON.parse(readFileSync(`${ROOT}../examples/alerts/${name}`, 'utf8'));
}

/** A request as sources see it, received at a fixed instant. */
export const request = (headers: Record<string, string> = {}) => ({ headers, receivedAt: new Date('2026-01-01T04:00:05.000Z') });
