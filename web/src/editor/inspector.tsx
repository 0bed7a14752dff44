import { useEffect, useState } from 'react';
import type { BoxInfo, FlowProblem } from '../api/types.js';
import { DraftInput } from './draft-input.js';
import { arrowsOf, outputsOf, type Arrow } from './flow-graph.js';
import type { BoxLike, FlowLike } from './flow-yaml.js';
import { SchemaForm, type FormContext, type OnValue } from './schema-form.js';

/** The selected box's settings, arrows and problems. */
export function BoxInspector({
  box,
  flow,
  info,
  problems,
  context,
  onRename,
  onArrow,
  onDelete,
}: {
  box: BoxLike;
  flow: FlowLike;
  info?: BoxInfo;
  problems: FlowProblem[];
  context: Omit<FormContext, 'idPrefix' | 'templates'>;
  onRename: (to: string) => string | undefined;
  onArrow: (arrow: Arrow, add: boolean) => void;
  onDelete: () => void;
}) {
  const [idDraft, setIdDraft] = useState(box.id);
  const [idError, setIdError] = useState<string>();
  useEffect(() => setIdDraft(box.id), [box.id]);
  const onValue: OnValue = context.onValue;
  const commitId = () => {
    const to = idDraft.trim();
    if (to === box.id) return;
    const error = onRename(to);
    setIdError(error);
    if (error) setIdDraft(box.id);
  };
  const arrows = arrowsOf(box);
  const others = flow.boxes.filter((other) => other.id !== box.id);
  return (
    <div className="inspector-body">
      <h2>{info?.title ?? box.type}</h2>
      {info ? <p className="muted">{info.description}</p> : <p className="error">Unknown box type “{box.type}”.</p>}
      {problems.length > 0 && (
        <ul className="problems" aria-label="Problems of this box">
          {problems.map((problem, index) => (
            <li key={index} className={`problem ${problem.severity}`}>
              <code>{problem.code}</code> line {problem.line}: {problem.message}
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor="box-id" className="field-label">
          id
        </label>
        <input
          id="box-id"
          value={idDraft}
          pattern="[A-Za-z0-9][A-Za-z0-9_\-]*"
          onChange={(event) => setIdDraft(event.target.value)}
          onBlur={commitId}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commitId();
          }}
          aria-describedby="box-id-help"
        />
        <p id="box-id-help" className="muted small-text">
          Arrows refer to it; renaming updates them.
        </p>
        {idError && <p className="error">{idError}</p>}
      </div>
      <div className="field">
        <label htmlFor="box-title" className="field-label">
          title
        </label>
        <DraftInput
          id="box-title"
          value={typeof box.title === 'string' ? box.title : ''}
          placeholder="shown on the canvas"
          onCommit={(text) => onValue(['title'], text.trim() ? text : undefined, `${box.id}:title`)}
        />
      </div>
      {info && <SchemaForm schema={info.schema} value={box} context={{ ...context, idPrefix: `box-${box.id}`, templates: info.templates }} />}
      <fieldset className="field arrows">
        <legend>Arrows</legend>
        {outputsOf(box, info).map((output) => (
          <div key={output} className="arrow-row">
            <span className="output-label">{output} →</span>
            {arrows
              .filter((arrow) => arrow.output === output)
              .map((arrow) => (
                <span key={arrow.to} className="chip">
                  {arrow.to}
                  <button type="button" className="ghost small" aria-label={`Remove arrow ${output} to ${arrow.to}`} onClick={() => onArrow(arrow, false)}>
                    ×
                  </button>
                </span>
              ))}
            <select aria-label={`Add an arrow from ${output}`} value="" onChange={(event) => event.target.value && onArrow({ from: box.id, output, to: event.target.value }, true)}>
              <option value="">add…</option>
              {others.map((other) => (
                <option key={other.id} value={other.id}>
                  {other.id}
                </option>
              ))}
            </select>
          </div>
        ))}
      </fieldset>
      <button type="button" className="danger" onClick={onDelete}>
        Delete box
      </button>
    </div>
  );
}
