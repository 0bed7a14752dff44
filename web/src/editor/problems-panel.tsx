import type { FlowProblem } from '../api/types.js';

/** Every problem of the flow; a click selects the box it concerns, or shows the line in the YAML. */
export function ProblemsPanel({ problems, onSelectBox, onShowLine }: { problems: FlowProblem[]; onSelectBox: (id: string) => void; onShowLine: (line: number) => void }) {
  if (problems.length === 0)
    return (
      <p className="ok-note" role="status">
        No problems: the flow is valid.
      </p>
    );
  return (
    <ul className="problems" aria-label="Problems" role="status">
      {problems.map((problem, index) => (
        <li key={index} className={`problem ${problem.severity}`}>
          <button type="button" className="link-button" onClick={() => (problem.boxId ? onSelectBox(problem.boxId) : onShowLine(problem.line))}>
            <code>{problem.code}</code> {problem.file}:{problem.line}
            {problem.boxId ? ` (box ${problem.boxId})` : ''}
          </button>{' '}
          — {problem.message}
        </li>
      ))}
    </ul>
  );
}
