import { LiquidError, type Template } from 'liquidjs';
import { TEMPLATE_LIMITS, createLiquid } from './create-liquid.js';
import { guardOutputs } from './guard-outputs.js';
import { TemplateCache } from './template-cache.js';
import { TEMPLATE_ERROR_CODES, TemplateError } from './template-error.js';

/** The one Liquid instance all Sidekick templates use. */
export const liquid = createLiquid();

const parsed = new TemplateCache<Template[]>(TEMPLATE_LIMITS.cachedTemplates);

/**
 * Parses a template once and caches it, with every output guarded (escaping, missing markers,
 * sources). Throws a `TemplateError` with code `TEMPLATE_PARSE` and the offset of the problem.
 */
export function parseTemplate(source: string): Template[] {
  const cached = parsed.get(source);
  if (cached) return cached;
  let templates: Template[];
  try {
    templates = liquid.parse(source);
  } catch (error) {
    throw toTemplateError(error, TEMPLATE_ERROR_CODES.parse);
  }
  guardOutputs(templates, source);
  parsed.set(source, templates);
  return templates;
}

/**
 * Turns whatever Liquid threw into a `TemplateError`. Limit breaches get their own code. Liquid's
 * messages name the template's own text and position, never scope values.
 */
export function toTemplateError(error: unknown, fallback: (typeof TEMPLATE_ERROR_CODES)['parse' | 'render']): TemplateError {
  if (error instanceof TemplateError) return error;
  // Liquid wraps what a guarded output throws; Sidekick's own error keeps its code.
  const original = (error as { originalError?: unknown }).originalError;
  if (original instanceof TemplateError) return original;
  const message = error instanceof Error ? error.message : String(error);
  const token = LiquidError.is(error) ? (error as { token?: { begin?: number } }).token : undefined;
  const offset = typeof token?.begin === 'number' ? token.begin : undefined;
  // V8's "Invalid string length" (a string past its maximum size, e.g. a capture in a hostile loop)
  // arrives wrapped in Liquid's RenderError, so the message is what can be checked.
  const overLimit = /limit exceeded|Invalid string length/.test(message);
  return new TemplateError(overLimit ? TEMPLATE_ERROR_CODES.limit : fallback, message, offset);
}
