import { useState, type FormEvent } from 'react';
import { callApi, describeError, ApiError } from '../api/client.js';
import type { Session } from '../api/types.js';

/** The login form shown when Sidekick requires a session: an account's name and password, the admin password, or single sign-on. */
export function LoginPage({ onLoggedIn, login }: { onLoggedIn: () => void; login?: Session['login'] }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const passwords = !login || login.password || login.accounts;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await callApi('/api/login', { method: 'POST', body: user.trim() ? { user: user.trim(), password } : { password } });
      setPassword('');
      onLoggedIn();
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? 'That name or password is not right.' : describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sidekick</h1>
        <p className="muted">Sign in to see incidents and edit flows.</p>
        {login?.sso && (
          <a className="button primary" href="/auth/oidc/login">
            Sign in with single sign-on
          </a>
        )}
        {passwords && (
          <>
            {login?.accounts && (
              <>
                <label htmlFor="login-user">Name</label>
                <input id="login-user" autoComplete="username" autoFocus value={user} onChange={(event) => setUser(event.target.value)} />
              </>
            )}
            <label htmlFor="login-password">{login?.accounts ? (login.password ? 'Password (the admin password without a name)' : 'Password') : 'Admin password or token'}</label>
            <input id="login-password" type="password" autoComplete="current-password" autoFocus={!login?.accounts} required value={password} onChange={(event) => setPassword(event.target.value)} />
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {passwords && (
          <button type="submit" className="primary" disabled={busy || password.length === 0}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        )}
      </form>
    </main>
  );
}
