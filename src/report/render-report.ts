import { redactSecrets, redactValue } from '../util/redact.js';
import { buildReportView, type ReportData } from './report-view.js';
import { createReportLiquid } from './report-liquid.js';
import { DEFAULT_REPORT_TEMPLATE } from './default-template.js';
import { ReportError } from './report-error.js';

export type { ReportData } from './report-view.js';

export interface RenderReportOptions {
  /** A Liquid template replacing the built-in layout (the contents, not a path). */
  template?: string;
  /** Exact secret values to redact besides the patterns (configured tokens and keys). */
  secrets?: readonly string[];
}

/**
 * Renders the incident report as Markdown. Secrets are redacted from the facts before they are
 * escaped (escaping would hide `ghp_…` as `ghp\\_…` from the patterns) and once more from the
 * result, so neither the built-in nor a user template can leak one.
 */
export function renderReport(data: ReportData, options: RenderReportOptions = {}): string {
  const secrets = options.secrets ?? [];
  const clean = redactValue(data, secrets);
  const view = buildReportView(clean);
  const day = new Date(Date.parse(clean.incident.createdAt) || 0).toISOString().slice(0, 10);
  const liquid = createReportLiquid(day);
  let markdown: string;
  try {
    const template = liquid.parse(options.template ?? DEFAULT_REPORT_TEMPLATE);
    markdown = liquid.renderSync(template, view as unknown as Record<string, unknown>) as string;
  } catch (error) {
    throw new ReportError('REPORT_TEMPLATE_INVALID', `the report template failed: ${(error as Error).message}`);
  }
  return redactSecrets(markdown.replace(/\n+$/, '') + '\n', secrets);
}
