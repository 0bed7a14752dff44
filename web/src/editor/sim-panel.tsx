import type { SimResult } from '../api/types.js';
import { formatClock } from '../incidents/format-time.js';

/** The test run's steps (as far as played) and the conversation as it would read. */
export function SimPanel({ result, shown, done, onSkip, onClose }: { result: SimResult; shown: number; done: boolean; onSkip: () => void; onClose: () => void }) {
  return (
    <section className="sim-panel" aria-labelledby="sim-title">
      <div className="panel-head">
        <h2 id="sim-title">Test run {done ? '— finished' : `— step ${shown} of ${result.steps.length}`}</h2>
        {!done && (
          <button type="button" className="small" onClick={onSkip}>
            Show all
          </button>
        )}
        <button type="button" className="ghost small" onClick={onClose} aria-label="Close the test run">
          ×
        </button>
      </div>
      {result.problems.length > 0 && (
        <ul className="problems">
          {result.problems.map((problem, index) => (
            <li key={index} className={`problem ${problem.severity}`}>
              <code>{problem.code}</code> {problem.message}
            </li>
          ))}
        </ul>
      )}
      <div className="sim-columns">
        <ol className="sim-steps" aria-label="Steps">
          {result.steps.slice(0, shown).map((step, index) => (
            <li key={index} className={`sim-step sim-${step.kind}`} data-box={step.boxId}>
              <time dateTime={step.at}>{step.offset ?? formatClock(step.at)}</time> {step.boxId && <strong>{step.boxId}</strong>} <span className="muted">{step.kind}</span>{' '}
              {step.channel && <span className="muted">#{step.channel.replace(/^#/, '')}</span>}
              {step.port && step.port !== 'next' && <span className="chip">{step.port}</span>} {step.text}
            </li>
          ))}
        </ol>
        {done && (
          <pre className="transcript" aria-label="Transcript">
            {result.transcript}
          </pre>
        )}
      </div>
    </section>
  );
}
