import { useEffect, useState } from 'react';
import { callApi, describeError } from './client.js';

/** The JSON answer of `GET path`, loaded when the path changes; `error` says, as a sentence, why it could not be. */
export function useApiGet<T>(path: string): { data?: T; error?: string } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    callApi<T>(path)
      .then(setData)
      .catch((caught) => setError(describeError(caught)));
  }, [path]);
  return { data, error };
}
