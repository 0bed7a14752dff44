import { lazy, Suspense, useState } from 'react';
import { callApi } from '../api/client.js';
import type { Incident, TimelineEntry } from '../api/types.js';
import { safeUrl } from '../chat/mrkdwn.js';
import { ErrorNote } from '../ui/error-note.js';
import { useBusy } from '../ui/use-busy.js';
import { DraftPanel } from './draft-panel.js';

const ReportView = lazy(() => import('./report-view.js').then((module) => ({ default: module.ReportView })));

/** The report as it would be filed now, and the button that files it. */
export function ReportPanel({ incident, timeline, summary: saved }: { incident: Incident; timeline: TimelineEntry[]; summary: string }) {
  const [summary, setSummary] = useState(saved);
  const [summaryNote, setSummaryNote] = useState<string>();
  const [markdown, setMarkdown] = useState<string>();
  const [issue, setIssue] = useState(incident.issue);
  const { busy, error, run } = useBusy();
  const base = `/api/incidents/${encodeURIComponent(incident.id)}/report`;
  const load = () => run(async () => setMarkdown(await callApi<string>(base)));
  const file = () => run(async () => setIssue((await callApi<{ issue: NonNullable<Incident['issue']> }>(base, { method: 'POST' })).issue));
  const saveSummary = () =>
    run(async () => {
      await callApi(`/api/incidents/${encodeURIComponent(incident.id)}/summary`, { method: 'PUT', body: { text: summary } });
      setSummaryNote('Saved; the report opens with it.');
      if (markdown !== undefined) setMarkdown(await callApi<string>(base));
    });
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
