/** Whether a login is needed and present (`GET /api/session`), re-checked whenever the API answers 401. */
import { useCallback, useEffect, useState } from 'react';
import { callApi, describeError, UNAUTHORIZED_EVENT } from '../api/client.js';
import type { Session } from '../api/types.js';

export type SessionState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; session: Session };

/** Loads the session and exposes a refresh for after login and logout. */
export function useSession(): [SessionState, () => void] {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const refresh = useCallback(() => {
    callApi<Session>('/api/session')
      .then((session) => setState({ status: 'ready', session }))
      .catch((error) => setState({ status: 'error', message: describeError(error) }));
  }, []);
  useEffect(() => {
    refresh();
    window.addEventListener(UNAUTHORIZED_EVENT, refresh);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, refresh);
  }, [refresh]);
  return [state, refresh];
}
