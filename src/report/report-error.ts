import { errorKind } from '../errors/sidekick-error.js';

/** Stable codes for report failures. */
export type ReportErrorCode = 'REPORT_INCIDENT_NOT_FOUND' | 'REPORT_TEMPLATE_INVALID' | 'REPORT_TEMPLATE_UNREADABLE';

/** The report could not be produced; the message says what to fix. */
export class ReportError extends errorKind<ReportErrorCode>('ReportError', { codeInMessage: true }) {}
