import { useCallback, useEffect, useState } from 'react';
import { callApi } from '../api/client.js';
import type { DraftAnswer, DraftSentence, Incident, ReportDraft, TimelineEntry } from '../api/types.js';
import { ErrorNote } from '../ui/error-note.js';
import { useBusy } from '../ui/use-busy.js';
import { formatClock } from './format-time.js';

const SECTIONS: { key: keyof ReportDraft['sections']; title: string }[] = [
  { key: 'summary', title: 'Summary' },
  { key: 'whatHappened', title: 'What happened' },
  { key: 'contributingFactors', title: 'Contributing factors' },
];

/**
 * The AI first draft of the report. Drafted text is marked as drafted (and styled apart) until a
 * person accepts or edits it; every sentence links to the timeline entries it cites.
 */
export function DraftPanel({ incident, timeline }: { incident: Incident; timeline: TimelineEntry[] }) {
  const [state, setState] = useState<DraftAnswer>();
  const [editing, setEditing] = useState<ReportDraft['sections']>();
  const { busy, error, run } = useBusy();
  const base = `/api/incidents/${encodeURIComponent(incident.id)}/draft`;
  const act = useCallback(
    (call: () => Promise<DraftAnswer>) =>
      run(async () => {
        setState(await call());
        setEditing(undefined);
      }),
    [run],
  );
  useEffect(() => {
    void act(() => callApi<DraftAnswer>(base));
  }, [base, act]);
  if (!state?.enabled) return null;
  const draft = state.draft;
  const entries = new Map(timeline.map((entry) => [entry.id, entry]));
  return (
    <section className={`draft draft-${draft?.status ?? 'none'}`} aria-labelledby="draft-title">
      <h3 id="draft-title">AI first draft {draft && <span className={`badge draft-badge-${draft.status}`}>{labelOf(draft)}</span>}</h3>
      {!draft && <p className="muted">No draft yet: it is written the first time the report is shown or filed.</p>}
      {draft?.status === 'failed' && (
        <p className="muted">
          No draft: {draft.error?.message} ({draft.error?.code}). The report is complete without it.
        </p>
      )}
      {draft &&
        draft.status !== 'failed' &&
        !editing &&
        SECTIONS.map(({ key, title }) => (
          <div key={key} className="draft-section">
            <h4>{title}</h4>
            {draft.sections[key].length === 0 ? (
              <p className="muted">Nothing drafted here.</p>
            ) : (
              <ul>
                {draft.sections[key].map((sentence, index) => (
                  <li key={index}>
                    {sentence.text} <Citations incidentId={incident.id} sentence={sentence} entries={entries} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      {editing &&
        SECTIONS.map(({ key, title }) => (
          <fieldset key={key} className="draft-section">
            <legend>{title}</legend>
            {editing[key].map((sentence, index) => (
              <div key={index} className="draft-edit-row">
                <textarea
                  aria-label={`${title}, sentence ${index + 1}`}
                  value={sentence.text}
                  onChange={(event) => setEditing({ ...editing, [key]: editing[key].map((s, k) => (k === index ? { ...s, text: event.target.value } : s)) })}
                />
                <button type="button" onClick={() => setEditing({ ...editing, [key]: editing[key].filter((_, k) => k !== index) })}>
                  Remove
                </button>
              </div>
            ))}
          </fieldset>
        ))}
      <div className="button-row">
        {draft && draft.status !== 'failed' && !editing && (
          <>
            {draft.status === 'drafted' && (
              <button type="button" disabled={busy} onClick={() => void act(() => callApi<DraftAnswer>(`${base}/accept`, { method: 'POST' }))}>
                Accept draft
              </button>
            )}
            <button type="button" disabled={busy} onClick={() => setEditing(structuredClone(draft.sections))}>
              Edit
            </button>
          </>
        )}
        {editing && (
          <>
            <button type="button" disabled={busy} onClick={() => void act(() => callApi<DraftAnswer>(base, { method: 'PUT', body: { sections: cleaned(editing) } }))}>
              Save edit
            </button>
            <button type="button" disabled={busy} onClick={() => setEditing(undefined)}>
              Cancel
            </button>
          </>
        )}
        {!editing && (
          <button type="button" disabled={busy} onClick={() => void act(() => callApi<DraftAnswer>(base, { method: 'POST' }))}>
            {busy ? 'Asking the model…' : 'Regenerate draft'}
          </button>
        )}
      </div>
      <ErrorNote message={error} />
    </section>
  );
}

function labelOf(draft: ReportDraft): string {
  switch (draft.status) {
    case 'drafted':
      return `drafted by ${draft.model}, not reviewed`;
    case 'accepted':
      return `accepted by ${draft.reviewedBy ?? 'a responder'}`;
    case 'edited':
      return `edited by ${draft.reviewedBy ?? 'a responder'}`;
    case 'failed':
      return 'no draft';
  }
}

function Citations({ incidentId, sentence, entries }: { incidentId: string; sentence: DraftSentence; entries: Map<string, TimelineEntry> }) {
  return (
    <>
      {sentence.cites.map((id) => {
        const entry = entries.get(id);
        if (!entry) return null;
        return (
          <a key={id} className="cite" href={`#/incidents/${encodeURIComponent(incidentId)}?entry=${encodeURIComponent(id)}`} title={`${entry.kind} · ${entry.actor}: ${entry.text}`}>
            {formatClock(entry.at)}
          </a>
        );
      })}
    </>
  );
}

/** Sentences emptied in the editor are dropped rather than saved blank. */
function cleaned(sections: ReportDraft['sections']): ReportDraft['sections'] {
  const out = {} as ReportDraft['sections'];
  for (const { key } of SECTIONS) out[key] = sections[key].filter((s) => s.text.trim() !== '');
  return out;
}
