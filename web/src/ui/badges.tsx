import type { IncidentStatus, Severity } from '../api/types.js';

/** Severity as a coloured word: colour helps at a glance, the word carries the meaning. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge sev-${severity}`}>{severity}</span>;
}

/** Incident status as a badge. */
export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}
