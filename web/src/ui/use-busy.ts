import { useCallback, useState } from 'react';
import { describeError } from '../api/client.js';

/**
 * The state of a panel's buttons: `busy` while one's work runs (so they are disabled), `error` the
 * failure of the last work as a sentence (cleared when new work starts: an old error would speak of
 * an attempt that is over). `run` resolves true when the work succeeded.
 */
export function useBusy() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // Stable across renders (it uses only state setters), so effects may name it.
  const run = useCallback(async (work: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (caught) {
      setError(describeError(caught));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
