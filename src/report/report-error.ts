/** Stable codes for report failures. */
export type ReportErrorCode = 'REPORT_INCIDENT_NOT_FOUND' | 'REPORT_TEMPLATE_INVALID' | 'REPORT_TEMPLATE_UNREADABLE';

/** The report could not be produced; the message says what to fix. */
export class ReportError extends Error {
  override readonly name = 'ReportError';
  constructor(
    readonly code: ReportErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
