import { useState, type FormEvent } from 'react';
import { callApi, describeError } from '../api/client.js';

/**
 * Asked once on an open installation (loopback, no login): the name the room, the timeline and
 * the report show for what this browser does. Kept in a cookie by the server.
 */
export function NamePrompt({ onNamed }: { onNamed: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await callApi('/api/session/name', { method: 'POST', body: { name } });
      onNamed();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={submit} aria-labelledby="name-title">
        <h1 id="name-title">Who are you?</h1>
        <p className="muted">Your name goes on what you say and do in incidents, so the timeline and the report say who did what.</p>
        <label htmlFor="display-name">Your name</label>
        <input id="display-name" autoComplete="name" autoFocus required maxLength={80} value={name} onChange={(event) => setName(event.target.value)} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || name.trim().length === 0}>
          Continue
        </button>
      </form>
    </main>
  );
}
