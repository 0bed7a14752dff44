import { SEVERITIES } from '../../../src/alerts/alert.js';
import { INCIDENT_STATUSES } from '../../../src/incidents/incident.js';
import { callApi } from '../api/client.js';
import type { Incident, IncidentStatus, Severity } from '../api/types.js';
import { ErrorNote } from '../ui/error-note.js';
import { useBusy } from '../ui/use-busy.js';

/** Status buttons and the severity picker of an incident. */
export function IncidentControls({ incident, onChange }: { incident: Incident; onChange: (incident: Incident) => void }) {
  const { busy, error, run } = useBusy();
  const send = (path: 'status' | 'severity', body: object) =>
    run(async () => onChange((await callApi<{ incident: Incident }>(`/api/incidents/${encodeURIComponent(incident.id)}/${path}`, { method: 'POST', body })).incident));
  return (
    <div className="controls">
      <div className="segmented" role="group" aria-label="Status">
        {INCIDENT_STATUSES.map((status: IncidentStatus) => (
          <button
            key={status}
            type="button"
            aria-pressed={incident.status === status}
            disabled={busy || incident.status === status}
            className={`status-button status-${status}`}
            onClick={() => void send('status', { status })}
          >
            {status === 'investigating' ? 'Investigating' : status === 'mitigated' ? 'Mitigated' : 'Resolved'}
          </button>
        ))}
      </div>
      <label className="inline">
        Severity
        <select value={incident.severity} disabled={busy} onChange={(event) => void send('severity', { severity: event.target.value as Severity })}>
          {SEVERITIES.map((severity) => (
            <option key={severity}>{severity}</option>
          ))}
        </select>
      </label>
      <ErrorNote message={error} />
    </div>
  );
}
