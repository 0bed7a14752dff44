import { useEffect, useState } from 'react';
import { callApi, describeError } from '../api/client.js';
import type { TemplateMode, TemplatePreview } from '../api/types.js';
import { useDebounced } from './use-debounced.js';

export interface SampleAlert {
  source: string;
  payload: unknown;
}

/** The template rendered against the sample alert, with missing values and problems, as the server renders it. */
export function TemplatePreviewView({ template, mode, sample, id }: { template: string; mode: TemplateMode; sample?: SampleAlert; id: string }) {
  const settled = useDebounced(template, 300);
  const [preview, setPreview] = useState<TemplatePreview>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!settled.trim()) {
      setPreview(undefined);
      return;
    }
    const controller = new AbortController();
    callApi<TemplatePreview>('/api/templates/preview', {
      method: 'POST',
      body: { template: settled, mode, source: sample?.source, payload: sample?.payload },
      signal: controller.signal,
    })
      .then((answer) => {
        setPreview(answer);
        setError(undefined);
      })
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(describeError(caught));
      });
    return () => controller.abort();
  }, [settled, mode, sample]);
  if (!template.trim()) return null;
  return (
    <div className="template-preview" id={id} aria-live="polite">
      {error && <p className="error">{error}</p>}
      {preview && (
        <>
          <div className="preview-label">Preview{sample ? '' : ' (no sample alert)'}</div>
          <pre className="preview-text">{preview.text}</pre>
          {preview.problems.length > 0 && (
            <ul className="preview-problems">
              {preview.problems.map((problem, index) => (
                <li key={index} className="error">
                  {problem.message}
                </li>
              ))}
            </ul>
          )}
          {preview.missing.length > 0 && <p className="warning">Missing in the sample: {preview.missing.join(', ')}</p>}
        </>
      )}
    </div>
  );
}
