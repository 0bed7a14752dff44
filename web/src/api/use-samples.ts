import { useEffect, useState } from 'react';
import { callApi } from './client.js';
import type { Sample } from './types.js';

/** The sample alerts templates are previewed with, loaded once; none when they cannot be read. */
export function useSamples(): Sample[] {
  const [samples, setSamples] = useState<Sample[]>([]);
  useEffect(() => {
    callApi<{ samples: Sample[] }>('/api/samples')
      .then((answer) => setSamples(answer.samples))
      .catch(() => setSamples([]));
  }, []);
  return samples;
}
