import { SidekickError } from '../errors/sidekick-error.js';

/** Stable codes for report failures. */
export type ReportErrorCode = 'REPORT_INCIDENT_NOT_FOUND' | 'REPORT_TEMPLATE_INVALID' | 'REPORT_TEMPLATE_UNREADABLE';

/** The report could not be produced; the message says what to fix. */
export class ReportError extends SidekickError {
  override readonly name = 'ReportError';
  constructor(
    override readonly code: ReportErrorCode,
    message: string,
  ) {
    super(code, `${code}: ${message}`);
  }
}
