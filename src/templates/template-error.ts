import { errorKind } from '../errors/sidekick-error.js';

/** Stable codes for everything that can go wrong with a template. */
export const TEMPLATE_ERROR_CODES = {
  /** The template source is not valid Liquid, uses an unknown filter or a forbidden tag. */
  parse: 'TEMPLATE_PARSE',
  /** A filter or tag failed while rendering (a malformed JSONPath, a bad argument). */
  render: 'TEMPLATE_RENDER',
  /** The render took too long or allocated too much (a hostile loop or payload). */
  limit: 'TEMPLATE_LIMIT',
  /** The output grew past the cap in a place where cutting it would change its meaning (a command). */
  tooLong: 'TEMPLATE_OUTPUT_TOO_LONG',
  /** A value placed in a command where its quoting cannot be made safe (`$'…'`, backquotes, a heredoc). */
  shellContext: 'TEMPLATE_SHELL_CONTEXT',
  /** A value placed in a JSON body where it cannot be escaped (right after a backslash in a string). */
  jsonContext: 'TEMPLATE_JSON_CONTEXT',
} as const;

export type TemplateErrorCode = (typeof TEMPLATE_ERROR_CODES)[keyof typeof TEMPLATE_ERROR_CODES];

/**
 * A template that cannot be rendered. The message names the problem and, when known, where it is;
 * it never contains scope values, which may be secrets from an alert payload.
 */
export class TemplateError extends errorKind<TemplateErrorCode>('TemplateError', { codeInMessage: true }) {
  /** 0-based offset into the template source, when known. */
  readonly offset?: number;

  constructor(code: TemplateErrorCode, message: string, offset?: number) {
    super(code, message);
    if (offset !== undefined) this.offset = offset;
  }
}
