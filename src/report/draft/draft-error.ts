import { errorKind } from '../../errors/sidekick-error.js';

/**
 * Why the model gave no usable draft. `AI_TIMEOUT`: no full answer within `ai.timeoutMs`;
 * `AI_UNAVAILABLE`: no connection or a 5xx; `AI_RATE_LIMITED`: 429; `AI_REJECTED`: another 4xx
 * (wrong key, unknown model, prompt too long); `AI_BAD_ANSWER`: an answer that is not the draft.
 */
export type DraftErrorCode = 'AI_TIMEOUT' | 'AI_UNAVAILABLE' | 'AI_RATE_LIMITED' | 'AI_REJECTED' | 'AI_BAD_ANSWER';

/** A failed draft, with a stable code and a message that says how to fix it. */
export class DraftError extends errorKind<DraftErrorCode>('DraftError') {}
