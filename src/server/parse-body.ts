import type { z } from 'zod';
import { HttpError } from './http-error.js';

/** Validates a request part; a mismatch is a 400 that names the field and what was expected. */
export function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  throw new HttpError(400, 'REQUEST_INVALID', message);
}
