/**
 * Where a rendered value goes decides how it is escaped, like HTML auto-escaping:
 * - `text`: chat text; values cannot break the message markup (`&`, `<`, `>` escaped as Slack does,
 *   so `<!channel>` or a fake link cannot be injected).
 * - `shell`: a command shown for copying; every interpolated value is quoted for POSIX shell
 *   unless marked with the `raw` filter.
 * - `url`: each interpolated value is percent-encoded.
 * - `plain`: no escaping (titles stored as data, JSON bodies built by filters).
 */
export type EscapeMode = 'text' | 'shell' | 'url' | 'plain';

export interface RenderResult {
  text: string;
  /** Variable paths that were absent and rendered as `⟨missing: path⟩`. */
  missing: string[];
  /** Where each interpolated value came from: `alert.raw.host` → `db-7`. */
  sources: { path: string; value: string }[];
}

export interface TemplateProblem {
  message: string;
  /** 0-based offset into the template source, when known. */
  offset?: number;
  path?: string;
}

export { renderTemplate, checkTemplate, variablesOf } from './liquid-engine.js';
export { TemplateError, TEMPLATE_ERROR_CODES, type TemplateErrorCode, escapeChatText } from './liquid-engine.js';
