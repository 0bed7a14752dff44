import { VendorError } from '../errors/vendor-error.js';

/** Stable codes for graph failures; a report is still written without the picture. */
export type GraphErrorCode = 'GRAPH_NOT_CONFIGURED' | 'GRAPH_AUTH_FAILED' | 'GRAPH_RATE_LIMITED' | 'GRAPH_REJECTED' | 'GRAPH_UNAVAILABLE';

/** A graph provider failed. The message says what to fix and never holds a key. */
export class GraphError extends VendorError<GraphErrorCode, { status?: number; retryAfterMs?: number }> {
  override readonly name = 'GraphError';
}
