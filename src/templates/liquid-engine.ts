/**
 * Sidekick's template engine: LiquidJS with context-dependent escaping, visible missing values,
 * value sources, whitelisted filters and no file access. Render once, never twice: a `{{ … }}`
 * inside an alert's value stays text.
 */
export { renderTemplate, TRUNCATED_MARKER, type TruncatedRenderResult } from './render-template.js';
export { checkTemplate, variablesOf } from './check-template.js';
export { TemplateError, TEMPLATE_ERROR_CODES, type TemplateErrorCode } from './template-error.js';
export { TEMPLATE_LIMITS, FORBIDDEN_TAGS } from './create-liquid.js';
export { quoteShell, encodeUrlValue, escapeChatText, escapeValue } from './escape-value.js';
export { markMissing } from './guard-outputs.js';
