import { useCallback, useEffect, useMemo, useState } from 'react';
import { callApi, describeError } from '../api/client.js';
import type { BoxInfo, Sample } from '../api/types.js';
import { useSamples } from '../api/use-samples.js';

/** Box types and sample alerts the editor needs, loaded once per editor. */
export function useFlowResources() {
  const [boxes, setBoxes] = useState<BoxInfo[]>([]);
  const samples = useSamples();
  const [error, setError] = useState<string>();
  useEffect(() => {
    callApi<{ boxes: BoxInfo[] }>('/api/boxes')
      .then((answer) => setBoxes(answer.boxes))
      .catch((caught) => setError(describeError(caught)));
  }, []);
  const infos = useMemo(() => new Map(boxes.map((box) => [box.type, box])), [boxes]);
  return { boxes, infos, samples, error };
}

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** The sample a flow names (`sample.file`), else one from the source it matches, else the first. */
export function defaultSample(samples: Sample[], flow: { sample?: { file?: string; source?: string }; trigger?: { match?: Record<string, unknown> } } | undefined): Sample | undefined {
  const file = flow?.sample?.file;
  if (file) {
    const named = samples.find((sample) => baseName(sample.file) === baseName(file));
    if (named) return named;
  }
  const source = flow?.trigger?.match?.source;
  if (typeof source === 'string') {
    const fromSource = samples.find((sample) => sample.source === source);
    if (fromSource) return fromSource;
  }
  // A firing alert makes a better first example than a recovery.
  return samples.find((sample) => !/resolved|recovered/i.test(sample.name)) ?? samples[0];
}

/** The sample alert a person picked for a flow, remembered in this browser. */
export function useRememberedSample(flowId: string): [string | undefined, (name: string) => void] {
  const key = `sidekick.sample.${flowId}`;
  const [name, setName] = useState<string | undefined>(() => {
    try {
      return localStorage.getItem(key) ?? undefined;
    } catch {
      return undefined;
    }
  });
  const choose = useCallback(
    (next: string) => {
      setName(next);
      try {
        localStorage.setItem(key, next);
      } catch {
        // storage refused (private mode): the choice lasts for this page only
      }
    },
    [key],
  );
  return [name, choose];
}
