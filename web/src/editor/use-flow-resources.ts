import { useCallback, useMemo, useState } from 'react';
import { useApiGet } from '../api/use-api-get.js';
import type { BoxInfo, Sample } from '../api/types.js';
import { useSamples } from '../api/use-samples.js';

// One empty list for every render while the boxes load, so what depends on them stays put.
const NO_BOXES: BoxInfo[] = [];

/** Box types and sample alerts the editor needs, loaded once per editor. */
export function useFlowResources() {
  const { data, error } = useApiGet<{ boxes: BoxInfo[] }>('/api/boxes');
  const boxes = data?.boxes ?? NO_BOXES;
  const samples = useSamples();
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
