/**
 * Where a rendered value goes decides how it is escaped, like HTML auto-escaping:
 * - `text`: chat text; values cannot break the message markup (`&`, `<`, `>` escaped as Slack does,
 *   so `<!channel>` or a fake link cannot be injected).
 * - `shell`: a command shown for copying; every interpolated value is escaped for the quoting it
 *   lands in (a bare word, "…", '…') unless marked with the `raw` filter.
 * - `url`: each interpolated value is percent-encoded.
 * - `json`: a JSON document (http-request bodies); inside a JSON string a value is escaped as
 *   string content, elsewhere it is written as a JSON value.
 * - `plain`: no escaping (titles stored as data).
 */
export type EscapeMode = 'text' | 'shell' | 'url' | 'json' | 'plain';

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
