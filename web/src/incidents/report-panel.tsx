import { lazy, Suspense, useState } from 'react';
import { callApi, describeError } from '../api/client.js';
import type { Incident, TimelineEntry } from '../api/types.js';
import { safeUrl } from '../chat/mrkdwn.js';
import { ErrorNote } from '../ui/error-note.js';
import { DraftPanel } from './draft-panel.js';

const ReportView = lazy(() => import('./report-view.js').then((module) => ({ default: module.ReportView })));

/** The report as it would be filed now, and the button that files it. */
export function ReportPanel({ incident, timeline, summary: saved }: { incident: Incident; timeline: TimelineEntry[]; summary: string }) {
  const [summary, setSummary] = useState(saved);
  const [summaryNote, setSummaryNote] = useState<string>();
  const [markdown, setMarkdown] = useState<string>();
  const [error, setError] = useState<string>();
  const [issue, setIssue] = useState(incident.issue);
  const [busy, setBusy] = useState(false);
  const base = `/api/incidents/${encodeURIComponent(incident.id)}/report`;
  const load = async () => {
    setBusy(true);
    try {
      setMarkdown(await callApi<string>(base));
      setError(undefined);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  const file = async () => {
    setBusy(true);
    try {
      const answer = await callApi<{ issue: NonNullable<Incident['issue']> }>(base, { method: 'POST' });
      setIssue(answer.issue);
      setError(undefined);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  const saveSummary = async () => {
    setBusy(true);
    try {
      await callApi(`/api/incidents/${encodeURIComponent(incident.id)}/summary`, { method: 'PUT', body: { text: summary } });
      setSummaryNote('Saved; the report opens with it.');
      setError(undefined);
      if (markdown !== undefined) setMarkdown(await callApi<string>(base));
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  const filed = issue ?? incident.issue;
  const filedUrl = filed ? safeUrl(filed.url) : undefined;
  return (
    <section className="report" aria-labelledby="report-title">
      <h2 id="report-title">Report</h2>
      <div className="summary-editor">
        <label htmlFor={`summary-${incident.id}`}>Summary (what happened and who was affected, for people who read only this)</label>
        <textarea id={`summary-${incident.id}`} rows={3} maxLength={5000} value={summary} onChange={(event) => setSummary(event.target.value)} />
        <div className="button-row">
          <button type="button" onClick={() => void saveSummary()} disabled={busy || summary === saved}>
            Save summary
          </button>
          {summaryNote && (
            <span className="muted small-text" role="status">
              {summaryNote}
            </span>
          )}
        </div>
      </div>
      <div className="button-row">
        <button type="button" onClick={() => void load()} disabled={busy}>
          {markdown === undefined ? 'Show report' : 'Refresh report'}
        </button>
        <button type="button" onClick={() => void file()} disabled={busy}>
          {filed ? 'File again' : 'File report'}
        </button>
        {filed &&
          (filedUrl ? (
            <a href={filedUrl} target="_blank" rel="noopener noreferrer">
              {filed.tracker} {filed.id}
            </a>
          ) : (
            <span>
              Filed as {filed.tracker} {filed.id}
            </span>
          ))}
      </div>
      <ErrorNote message={error} />
      <DraftPanel incident={incident} timeline={timeline} />
      {markdown !== undefined && (
        <Suspense fallback={<p className="muted">Rendering…</p>}>
          <ReportView markdown={markdown} />
        </Suspense>
      )}
    </section>
  );
}
