import { useCallback, useEffect, useState } from 'react';
import { callApi, describeError } from '../api/client.js';
import { useServerEvents } from '../api/events.js';
import type { Incident } from '../api/types.js';
import { hrefOf } from '../router.js';
import { SeverityBadge, StatusBadge } from '../ui/badges.js';
import { ErrorNote } from '../ui/error-note.js';
import { useNow } from '../ui/use-now.js';
import { formatAge, formatDateTime } from './format-time.js';
import { DeclareForm } from './declare-form.js';

type Filter = 'open' | 'resolved' | 'all';

/** Keeps the list newest first with one entry per incident. */
export function upsertIncident(list: Incident[], incident: Incident): Incident[] {
  const others = list.filter((item) => item.id !== incident.id);
  return [incident, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

const matches = (filter: Filter, incident: Incident) => filter === 'all' || (filter === 'resolved' ? incident.status === 'resolved' : incident.status !== 'resolved');

/** The incidents list with live updates. */
export function IncidentList() {
  const [filter, setFilter] = useState<Filter>('open');
  const [incidents, setIncidents] = useState<Incident[]>();
  const [error, setError] = useState<string>();
  const now = useNow();
  const load = useCallback(() => {
    const query = filter === 'all' ? '' : `status=${filter}&`;
    callApi<{ incidents: Incident[] }>(`/api/incidents?${query}limit=100`)
      .then((answer) => {
        setIncidents(answer.incidents);
        setError(undefined);
      })
      .catch((caught) => setError(describeError(caught)));
  }, [filter]);
  useEffect(load, [load]);
  useServerEvents((event) => {
    if (event.type === 'reconnected') load();
    if (event.type !== 'incident') return;
    setIncidents((list) => {
      if (!list) return list;
      const kept = list.filter((item) => item.id !== event.data.id);
      return matches(filter, event.data) ? upsertIncident(kept, event.data) : kept;
    });
  });
  return (
    <section aria-labelledby="incidents-title">
      <div className="page-head">
        <h1 id="incidents-title">Incidents</h1>
        <div className="segmented" role="group" aria-label="Show">
          {(['open', 'resolved', 'all'] as const).map((value) => (
            <button key={value} type="button" aria-pressed={filter === value} onClick={() => setFilter(value)}>
              {value[0]!.toUpperCase() + value.slice(1)}
            </button>
          ))}
        </div>
        <DeclareForm />
      </div>
      <ErrorNote message={error} />
      {incidents === undefined && !error && <p className="muted">Loading incidents…</p>}
      {incidents?.length === 0 && <p className="empty">{filter === 'open' ? 'No open incidents. Quiet night.' : 'No incidents here.'}</p>}
      {incidents && incidents.length > 0 && (
        <table className="incidents">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Incident</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">Age</th>
              <th scope="col">Responders</th>
            </tr>
          </thead>
          <tbody>
            {incidents.map((incident) => (
              <tr key={incident.id} className={`row-${incident.status}`} data-incident={incident.number}>
                <td className="num">INC-{incident.number}</td>
                <td>
                  <a href={hrefOf({ page: 'incident', id: String(incident.number) })}>{incident.title}</a>
                </td>
                <td>
                  <SeverityBadge severity={incident.severity} />
                </td>
                <td>
                  <StatusBadge status={incident.status} />
                </td>
                <td title={formatDateTime(incident.createdAt)}>{formatAge(incident.createdAt, now)}</td>
                <td>{incident.responders.length ? incident.responders.join(', ') : <span className="muted">nobody yet</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
