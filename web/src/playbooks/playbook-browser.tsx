import { useEffect, useMemo, useState } from 'react';
import { callApi, describeError } from '../api/client.js';
import type { ChatButton, PlaybookPreview, PlaybookSummary, Sample } from '../api/types.js';
import { useApiGet } from '../api/use-api-get.js';
import { useSamples } from '../api/use-samples.js';
import { ChatBlocks } from '../chat/chat-blocks.js';
import { hrefOf } from '../router.js';
import { ErrorNote } from '../ui/error-note.js';

/** Playbooks as chat shows them, with commands rendered for a chosen sample alert. */
export function PlaybookBrowser({ id }: { id?: string }) {
  const { data, error } = useApiGet<{ playbooks: PlaybookSummary[] }>('/api/playbooks');
  const playbooks = data?.playbooks;
  const samples = useSamples();
  return (
    <div className="split">
      <nav className="side-list" aria-labelledby="playbooks-title">
        <h1 id="playbooks-title">Playbooks</h1>
        <ErrorNote message={error} />
        {playbooks?.length === 0 && <p className="empty">No playbooks yet. Add Markdown files to playbooks/.</p>}
        <ul>
          {playbooks?.map((playbook) => (
            <li key={playbook.id}>
              <a href={hrefOf({ page: 'playbooks', id: playbook.id })} aria-current={playbook.id === id ? 'page' : undefined}>
                {playbook.title}
              </a>
              <span className="muted small-text" title={playbook.file}>
                {playbook.file.split(/[\\/]/).slice(-2).join('/')}
              </span>
              {playbook.problems.length > 0 && <span className="badge problem-badge">{playbook.problems.length} problems</span>}
              {playbook.kept && <span className="badge warning-badge">previous version in use</span>}
            </li>
          ))}
        </ul>
      </nav>
      <section className="split-main">
        {id ? <PlaybookPreviewView key={id} id={id} samples={samples} summary={playbooks?.find((item) => item.id === id)} /> : <p className="empty">Choose a playbook to see it as responders will.</p>}
      </section>
    </div>
  );
}

function PlaybookPreviewView({ id, samples, summary }: { id: string; samples: Sample[]; summary?: PlaybookSummary }) {
  // '' is the sample alert of the flow that shows this playbook (the server picks it), so the
  // commands read as that flow will post them; any other value is one of the bundled samples.
  const [sample, setSample] = useState<string>('');
  const [preview, setPreview] = useState<PlaybookPreview>();
  const [error, setError] = useState<string>();
  const [path, setPath] = useState<string[]>([]);
  useEffect(() => {
    const query = sample ? `?sample=${encodeURIComponent(sample)}` : '';
    callApi<PlaybookPreview>(`/api/playbooks/${encodeURIComponent(id)}${query}`)
      .then((answer) => {
        setPreview(answer);
        setError(undefined);
        setPath((current) => (current.length ? current : [answer.playbook.startPage]));
      })
      .catch((caught) => setError(describeError(caught)));
  }, [id, sample]);
  const pageId = path[path.length - 1];
  const page = preview?.playbook.pages.find((item) => item.id === pageId);
  const blocks = useMemo(() => preview?.rendered.find((item) => item.pageId === pageId)?.blocks ?? [], [preview, pageId]);
  if (error) return <ErrorNote message={error} />;
  if (!preview || !page) return <p className="muted">Loading the playbook…</p>;
  const go = (to: string) => setPath((current) => [...current, to]);
  // In chat a button carries an opaque value; here the page's choices say where each one leads.
  const onButton = (button: ChatButton) => {
    const choice = page.choices.find((item) => item.label === button.label);
    if (choice) go(choice.to);
  };
  return (
    <div className="playbook-preview">
      <div className="page-head">
        <h2>{preview.playbook.title}</h2>
        <label className="inline" htmlFor="playbook-sample">
          Sample alert
        </label>
        <select id="playbook-sample" value={sample} onChange={(event) => setSample(event.target.value)}>
          <option value="">{preview.sample ? `the sample of flow ${preview.sample.flow}` : sample ? 'none' : 'none (no flow with a sample shows it)'}</option>
          {samples.map((item) => (
            <option key={item.name} value={item.name}>
              {item.name}
            </option>
          ))}
        </select>
      </div>
      <nav aria-label="Path taken" className="crumbs">
        {path.map((step, index) => (
          <span key={index}>
            {index > 0 && ' → '}
            {index === path.length - 1 ? (
              <strong aria-current="step">{preview.playbook.pages.find((item) => item.id === step)?.title ?? step}</strong>
            ) : (
              <button type="button" className="link-button" onClick={() => setPath(path.slice(0, index + 1))}>
                {preview.playbook.pages.find((item) => item.id === step)?.title ?? step}
              </button>
            )}
          </span>
        ))}
      </nav>
      <div className="chat-preview" aria-label={`Page ${page.title} as chat shows it`}>
        <ChatBlocks blocks={blocks} onButton={onButton} />
        {path.length > 1 && (
          <button type="button" className="ghost small" onClick={() => setPath(path.slice(0, -1))}>
            ← Back
          </button>
        )}
      </div>
      <details>
        <summary>All pages ({preview.playbook.pages.length})</summary>
        <ul>
          {preview.playbook.pages.map((item) => (
            <li key={item.id}>
              <button type="button" className="link-button" onClick={() => go(item.id)}>
                {item.title}
              </button>{' '}
              <span className="muted">
                #{item.id}, line {item.line}
              </span>
            </li>
          ))}
        </ul>
      </details>
      {summary && summary.problems.length > 0 && (
        <section aria-label="Problems">
          <h3>Problems</h3>
          <ul className="problems">
            {summary.problems.map((problem, index) => (
              <li key={index} className="problem error">
                <code>{problem.code}</code> {problem.file}:{problem.line} — {problem.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
