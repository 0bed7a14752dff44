import { useEffect, useState, type FormEvent } from 'react';
import { callApi, describeError } from '../api/client.js';
import type { Session } from '../api/types.js';

/**
 * Asked once in the room on an open installation (loopback, no login): the name the room, the
 * timeline and the report show for what this browser does (kept in a cookie by the server). Until
 * then this browser acts as "web"; installations with a login never show it.
 */
export function NameBanner() {
  const [ask, setAsk] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    callApi<Session>('/api/session', { signal: controller.signal })
      .then((session) => setAsk(Boolean(session.askName)))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);
  if (!ask) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await callApi('/api/session/name', { method: 'POST', body: { name } });
      setAsk(false);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <form className="name-banner" onSubmit={submit} aria-label="Your name">
      <label htmlFor="display-name">Who are you? Your name goes on what you say and do here.</label>
      <input id="display-name" autoComplete="name" required maxLength={80} value={name} placeholder="your name" onChange={(event) => setName(event.target.value)} />
      <button type="submit" className="primary" disabled={name.trim().length === 0}>
        Save
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
