import { ChatError } from './chat-error.js';

/**
 * The pacing deferral every chat throws when a channel or thread has no room yet: not a failure,
 * the engine runs the job again after `waitMs` without using an attempt (retry-policy.ts reads
 * `retry.deferral`). `code` is the chat's own (`SLACK_PACED`, `TEAMS_PACED`); `why` names the limit.
 */
export function pacedError(code: string, method: string, waitMs: number, why: string): ChatError {
  return new ChatError(code, `${method}: ${why}`, { method }, { deferral: true, retryAfterMs: waitMs });
}
