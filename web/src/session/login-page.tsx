import { useState, type FormEvent } from 'react';
import { callApi, describeError, ApiError } from '../api/client.js';

/** The login form shown when Sidekick requires a session. */
export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await callApi('/api/login', { method: 'POST', body: { password } });
      setPassword('');
      onLoggedIn();
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? 'That password is not right.' : describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sidekick</h1>
        <p className="muted">Sign in to see incidents and edit flows.</p>
        <label htmlFor="login-password">Admin password or token</label>
        <input
          id="login-password"
          type="password"
          autoComplete="current-password"
          autoFocus
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || password.length === 0}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
