import { useState, type FormEvent } from 'react';
import { callApi } from '../api/client.js';
import type { Incident } from '../api/types.js';
import { ErrorNote } from '../ui/error-note.js';
import { useBusy } from '../ui/use-busy.js';
import { formatAge } from './format-time.js';

type Role = 'commander' | 'communications';
const LABELS: Record<Role, string> = { commander: 'Incident commander', communications: 'Communications lead' };

/**
 * Who leads and who talks to stakeholders, the *Acknowledge* button while nobody has, and a small
 * form to hand a role to someone else. Every change is on the timeline (and in a Slack channel's topic).
 */
export function RolesPanel({ incident, onChange }: { incident: Incident; onChange: (incident: Incident) => void }) {
  const { busy, error, run } = useBusy();
  const [role, setRole] = useState<Role>('commander');
  const [name, setName] = useState('');
  const send = (path: 'ack' | 'roles', body: object) =>
    run(async () => onChange((await callApi<{ incident: Incident }>(`/api/incidents/${encodeURIComponent(incident.id)}/${path}`, { method: 'POST', body })).incident));
  const handOver = async (event: FormEvent) => {
    event.preventDefault();
    if (await send('roles', { role, name: name.trim() })) setName('');
  };
  const acked = incident.acknowledgedAt ? new Date(incident.acknowledgedAt) : undefined;
  return (
    <section className="roles" aria-label="Roles">
      <dl className="role-list">
        {(Object.keys(LABELS) as Role[]).map((each) => (
          <div key={each} className="role" data-role={each}>
            <dt>{LABELS[each]}</dt>
            <dd>
              {incident.roles?.[each]?.name ?? <span className="muted">nobody</span>}{' '}
              <button type="button" className="link-button" disabled={busy} onClick={() => void send('roles', { role: each })}>
                take it
              </button>
            </dd>
          </div>
        ))}
        <div className="role" data-role="acknowledged">
          <dt>Acknowledged</dt>
          <dd>
            {incident.acknowledgedBy ? (
              <>
                by {incident.acknowledgedBy}
                {acked && <span className="muted"> after {formatAge(incident.createdAt, acked)}</span>}
              </>
            ) : (
              <button type="button" className="primary" disabled={busy} onClick={() => void send('ack', {})}>
                Acknowledge
              </button>
            )}
          </dd>
        </div>
      </dl>
      <form className="hand-over" onSubmit={handOver}>
        <label className="inline">
          Hand
          <select value={role} onChange={(event) => setRole(event.target.value as Role)} disabled={busy}>
            <option value="commander">incident commander</option>
            <option value="communications">communications lead</option>
          </select>
        </label>
        <label className="inline">
          to
          <input value={name} maxLength={80} placeholder="name" onChange={(event) => setName(event.target.value)} disabled={busy} />
        </label>
        <button type="submit" disabled={busy || name.trim().length === 0}>
          Hand over
        </button>
      </form>
      <ErrorNote message={error} />
    </section>
  );
}
