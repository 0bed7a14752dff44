import type { FollowUp, Moment } from '../api/types.js';
import { formatClock } from './format-time.js';

/** The decisions and key moments people marked, and the follow-ups, as the report will list them. */
export function MomentsPanel({ moments, followUps }: { moments: Moment[]; followUps: FollowUp[] }) {
  return (
    <>
      <section aria-labelledby="moments-title">
        <h2 id="moments-title">Decisions and key moments</h2>
        {moments.length === 0 ? (
          <p className="note">Mark a message with its Decision or Key moment button, or type a decision and press Decision.</p>
        ) : (
          <ul className="moments">
            {moments.map((moment) => (
              <li key={moment.id} data-moment-kind={moment.kind}>
                <span className="moment-kind">{moment.kind === 'decision' ? 'decision' : 'key moment'}</span>
                <time dateTime={moment.message?.at ?? moment.markedAt} className="muted small-text">
                  {formatClock(moment.message?.at ?? moment.markedAt)}
                </time>{' '}
                {moment.text} <span className="muted">— {moment.markedBy}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="follow-ups-title">
        <h2 id="follow-ups-title">Follow-ups</h2>
        {followUps.length === 0 ? (
          <p className="note">Type an action item (end with @name for its owner) and press Follow-up.</p>
        ) : (
          <ul className="follow-ups">
            {followUps.map((followUp) => (
              <li key={followUp.id}>
                ☐ {followUp.text} <span className="muted">— {followUp.owner ? followUp.owner.name : 'no owner yet'}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
