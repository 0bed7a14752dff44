import { SidekickError } from './sidekick-error.js';

/** What a thrown value may carry: Sidekick's fields, or Fastify's (`statusCode`, `code`). */
interface ErrorFields {
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  retryable?: unknown;
  message?: unknown;
}

/**
 * Fastify's own refusals, by code, as Sidekick's: the only place a framework code is named. A
 * table rather than a chain, so a new framework refusal is one line here.
 */
const FRAMEWORK_CODES: Record<string, { code: string; message: (said: string) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', message: () => 'the request body is larger than this server accepts' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'BAD_JSON', message: (said) => `the body is not valid JSON: ${said}` },
};

/**
 * Any thrown value as a SidekickError, read by its fields: one of ours (it has `code`, `status`
 * and `retryable`) as it is; a framework refusal from the table above; a JSON parser's
 * SyntaxError as BAD_JSON; another 4xx as its own code; anything else as INTERNAL (500), with
 * the original as the cause for the log.
 */
export function toSidekickError(error: unknown): SidekickError {
  const fields = (error ?? {}) as ErrorFields;
  if (error instanceof SidekickError) return error;
  const said = typeof fields.message === 'string' ? fields.message : String(error);
  const framework = typeof fields.code === 'string' && Object.hasOwn(FRAMEWORK_CODES, fields.code) ? FRAMEWORK_CODES[fields.code] : undefined;
  if (framework) return new SidekickError(framework.code, framework.message(said), { cause: error });
  if ((error as Error)?.name === 'SyntaxError') return new SidekickError('BAD_JSON', `the body is not valid JSON: ${said}`, { cause: error });
  const status = typeof fields.statusCode === 'number' ? fields.statusCode : typeof fields.status === 'number' ? fields.status : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    return new SidekickError(typeof fields.code === 'string' ? fields.code : 'BAD_REQUEST', said, { status, cause: error });
  }
  return new SidekickError('INTERNAL', 'something went wrong inside Sidekick; the log says what', { cause: error });
}
