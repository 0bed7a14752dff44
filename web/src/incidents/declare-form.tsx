import { useState, type FormEvent } from 'react';
import { SEVERITIES } from '../../../src/alerts/alert.js';
import { callApi, describeError } from '../api/client.js';
import type { Incident, Severity } from '../api/types.js';
import { navigate } from '../router.js';
import { ErrorNote } from '../ui/error-note.js';

/** Declares an incident by hand (`POST /api/incidents`), behind a disclosure button. */
export function DeclareForm() {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('high');
  const [error, setError] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const { incident } = await callApi<{ incident: Incident }>('/api/incidents', { method: 'POST', body: { title, severity } });
      navigate({ page: 'incident', id: String(incident.number) });
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  if (!open)
    return (
      <button type="button" className="primary" onClick={() => setOpen(true)} aria-expanded={false}>
        Declare incident
      </button>
    );
  return (
    <form className="declare" onSubmit={submit} aria-label="Declare an incident">
      <label>
        Title
        <input autoFocus required maxLength={200} value={title} onChange={(event) => setTitle(event.target.value)} />
      </label>
      <label>
        Severity
        <select value={severity} onChange={(event) => setSeverity(event.target.value as Severity)}>
          {SEVERITIES.map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={!title.trim()}>
        Declare
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
