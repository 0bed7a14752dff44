import { SidekickError } from '../errors/sidekick-error.js';

/** An error a route answers with: a stable code, an HTTP status and a message that says how to fix it. */
export class HttpError extends SidekickError {
  constructor(status: number, code: string, message: string) {
    super(code, message, { status });
    this.name = 'HttpError';
  }
}

/** The JSON body every API refusal answers with. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
