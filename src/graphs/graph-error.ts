import { SidekickError } from '../errors/sidekick-error.js';
import { vendorOptions } from '../errors/vendor-options.js';

/** Stable codes for graph failures; a report is still written without the picture. */
export type GraphErrorCode = 'GRAPH_NOT_CONFIGURED' | 'GRAPH_AUTH_FAILED' | 'GRAPH_RATE_LIMITED' | 'GRAPH_REJECTED' | 'GRAPH_UNAVAILABLE';

/** A graph provider failed. The message says what to fix and never holds a key. */
export class GraphError extends SidekickError {
  override readonly name = 'GraphError';
  constructor(
    override readonly code: GraphErrorCode,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(code, `${code}: ${message}`, vendorOptions(undefined, details.retryAfterMs));
  }
}
