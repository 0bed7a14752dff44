import { errorKind } from '../errors/sidekick-error.js';

/** Stable codes for changes an incident refuses. */
export type IncidentChangeCode = 'INCIDENT_NOT_A_STORM' | 'INCIDENT_GROUP_UNKNOWN' | 'INCIDENT_RESOLVED' | 'INCIDENT_GROUP_OPEN';

/** A change the incident's state does not allow; an HTTP 409 (404 for an unknown group), from the catalogue. */
export class IncidentChangeRefused extends errorKind<IncidentChangeCode>('IncidentChangeRefused') {}
