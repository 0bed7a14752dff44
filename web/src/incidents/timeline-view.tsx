import type { TimelineEntry } from '../api/types.js';
import { Mrkdwn } from '../chat/mrkdwn-view.js';
import { formatClock } from './format-time.js';

/** The incident's story, oldest first. */
export function TimelineView({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p className="empty">The timeline is empty.</p>;
  return (
    <ol className="timeline">
      {entries.map((entry) => (
        <li key={entry.id} className={`tl tl-${entry.kind}`}>
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
