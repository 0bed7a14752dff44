/** Stable codes for changes an incident refuses. */
export type IncidentChangeCode = 'INCIDENT_NOT_A_STORM' | 'INCIDENT_GROUP_UNKNOWN' | 'INCIDENT_RESOLVED' | 'INCIDENT_GROUP_OPEN';

/** A change the incident's state does not allow; an HTTP 409 (404 for an unknown group). */
export class IncidentChangeRefused extends Error {
  /** The HTTP status it answers with (the server maps it). */
  readonly statusCode: number;
  constructor(
    readonly code: IncidentChangeCode,
    message: string,
  ) {
    super(message);
    this.name = 'IncidentChangeRefused';
    this.statusCode = code === 'INCIDENT_GROUP_UNKNOWN' ? 404 : 409;
  }
}
