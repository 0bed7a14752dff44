import { createHash } from 'node:crypto';
import type { FlowDefinition } from './flow-schema.js';

/** A short stable hash of a flow definition: the version a run is pinned to. */
export function hashFlow(flow: FlowDefinition): string {
  return createHash('sha256').update(JSON.stringify(flow)).digest('hex').slice(0, 16);
}
