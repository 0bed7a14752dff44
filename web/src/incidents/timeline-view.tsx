import { useEffect, useState } from 'react';
import type { TimelineEntry } from '../api/types.js';
import { Mrkdwn } from '../chat/mrkdwn-view.js';
import { formatClock } from './format-time.js';

/** The incident's story, oldest first. */
export function TimelineView({ entries }: { entries: TimelineEntry[] }) {
  const cited = useCitedEntry();
  useEffect(() => {
    // A citation of the report's draft (`#/incidents/<id>?entry=<entry>`) scrolls to its entry.
    if (cited) document.getElementById(`entry-${cited}`)?.scrollIntoView({ block: 'center' });
  }, [cited, entries.length]);
  if (entries.length === 0) return <p className="empty">The timeline is empty.</p>;
  return (
    <ol className="timeline">
      {entries.map((entry) => (
        <li key={entry.id} id={`entry-${entry.id}`} className={`tl tl-${entry.kind}${entry.id === cited ? ' tl-cited' : ''}`}>
          <time dateTime={entry.at} title={entry.at}>
            {formatClock(entry.at)}
          </time>
          <span className="tl-kind">{entry.kind}</span>
          <span className="tl-actor">{entry.actor}</span>
          <span className="tl-text">
            <Mrkdwn text={entry.text} />
          </span>
        </li>
      ))}
    </ol>
  );
}

/** The entry named by `?entry=` in the location hash, kept up to date as links are followed. */
function useCitedEntry(): string | undefined {
  const read = () => new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('entry') ?? undefined;
  const [entry, setEntry] = useState(read);
  useEffect(() => {
    const update = () => setEntry(read());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return entry;
}
