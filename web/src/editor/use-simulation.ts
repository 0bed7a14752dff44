import { useCallback, useEffect, useMemo, useState } from 'react';
import { callApi, describeError } from '../api/client.js';
import type { SimResult } from '../api/types.js';
import type { SimView } from './flow-canvas.js';
import type { SampleAlert } from './template-preview.js';

const STEP_MS = 450;

/** Runs `POST /api/flows/simulate` and plays the steps back one by one on the canvas. */
export function useSimulation() {
  const [result, setResult] = useState<SimResult>();
  const [shown, setShown] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async (yaml: string, sample: SampleAlert | undefined, choose: string[]) => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await callApi<SimResult>('/api/flows/simulate', {
        method: 'POST',
        body: { yaml, alert: sample ? { source: sample.source, payload: sample.payload } : undefined, choose: choose.length ? choose : undefined },
      });
      setResult(answer);
      setShown(0);
    } catch (caught) {
      setError(describeError(caught));
      setResult(undefined);
    } finally {
      setBusy(false);
    }
  }, []);
  const total = result?.steps.length ?? 0;
  useEffect(() => {
    if (shown >= total) return;
    const timer = window.setTimeout(() => setShown((count) => count + 1), STEP_MS);
    return () => window.clearTimeout(timer);
  }, [shown, total]);
  const view = useMemo<SimView | undefined>(() => {
    if (!result) return undefined;
    const steps = result.steps.slice(0, shown);
    const boxes = steps.map((step) => step.boxId).filter((id): id is string => Boolean(id));
    return {
      visited: new Set(boxes),
      current: shown < total ? boxes[boxes.length - 1] : undefined,
      ports: new Set(steps.filter((step) => step.port).map((step) => `${step.boxId}:${step.port}`)),
    };
  }, [result, shown, total]);
  return {
    run,
    result,
    shown,
    done: result !== undefined && shown >= total,
    busy,
    error,
    view,
    skip: () => setShown(total),
    clear: () => setResult(undefined),
  };
}
