import type { Incident } from '../incidents/incident.js';
import type { Store } from '../store/store.js';
import { HttpError } from './http-error.js';

/** The incident a route names by id or number, or a 404 `INCIDENT_NOT_FOUND`, the same for every route. */
export async function findIncident(store: Pick<Store, 'getIncident'>, idOrNumber: string): Promise<Incident> {
  const incident = await store.getIncident(idOrNumber);
  if (!incident) throw new HttpError(404, 'INCIDENT_NOT_FOUND', `no incident "${idOrNumber}"`);
  return incident;
}
