import { useEffect, useState } from 'react';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { BoxInfo, FlowProblem } from '../api/types.js';
import { DraftInput } from './draft-input.js';
import { arrowsOf, outputsOf, type Arrow } from './flow-graph.js';
import type { BoxLike, FlowLike } from './flow-yaml.js';
import { SchemaForm, type FormContext, type OnValue } from './schema-form.js';

const TRIGGER_EVENTS = ['alert', 'declared', 'opened', 'mitigated', 'resolved', 'reopened'];

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
      {info && (
        <SchemaForm
          schema={info.schema}
          value={box}
          context={{ ...context, idPrefix: `box-${box.id}`, templates: info.templates }}
        />
      )}
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
            <select
              aria-label={`Add an arrow from ${output}`}
              value=""
              onChange={(event) => event.target.value && onArrow({ from: box.id, output, to: event.target.value }, true)}
            >
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

/** The flow's own settings: name, trigger and whether it is on. */
export function FlowSettings({ flow, onValue }: { flow: FlowLike; onValue: OnValue }) {
  const [matchError, setMatchError] = useState<string>();
  const match = flow.trigger?.match;
  return (
    <div className="inspector-body">
      <h2>Flow</h2>
      <div className="field">
        <span className="field-label">id</span> <code>{flow.id}</code>
      </div>
      <div className="field">
        <label htmlFor="flow-name" className="field-label">
          name
        </label>
        <DraftInput id="flow-name" value={flow.name ?? ''} onCommit={(text) => onValue(['name'], text || undefined, 'flow:name')} />
      </div>
      <div className="field">
        <label htmlFor="flow-description" className="field-label">
          description
        </label>
        <DraftInput
          id="flow-description"
          multiline
          rows={2}
          value={flow.description ?? ''}
          onCommit={(text) => onValue(['description'], text || undefined, 'flow:description')}
        />
      </div>
      <div className="field checkbox">
        <input id="flow-enabled" type="checkbox" checked={flow.enabled !== false} onChange={(event) => onValue(['enabled'], event.target.checked ? undefined : false, 'flow:enabled')} />
        <label htmlFor="flow-enabled">enabled</label>
      </div>
      <fieldset className="field">
        <legend>Trigger</legend>
        <label htmlFor="trigger-on" className="field-label">
          starts on
        </label>
        <select id="trigger-on" value={flow.trigger?.on ?? 'alert'} onChange={(event) => onValue(['trigger', 'on'], event.target.value, 'flow:on')}>
          {TRIGGER_EVENTS.map((event) => (
            <option key={event} value={event}>
              {event === 'alert' ? 'a new alert' : `incident ${event}`}
            </option>
          ))}
        </select>
        <label htmlFor="trigger-match" className="field-label">
          match (YAML: source, title, severity, labels)
        </label>
        <DraftInput
          id="trigger-match"
          multiline
          className="yaml-input"
          rows={4}
          spellCheck={false}
          value={match && Object.keys(match).length ? stringifyYaml(match, { lineWidth: 0 }).trimEnd() : ''}
          placeholder={'severity: [critical, high]\ntitle: "*replication*"'}
          onCommit={(text) => {
            try {
              const parsed = text.trim() ? parseYaml(text, { maxAliasCount: 10 }) : undefined;
              if (parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new Error('match is a map of fields');
              onValue(['trigger', 'match'], parsed, 'flow:match');
              setMatchError(undefined);
            } catch (caught) {
              setMatchError((caught as Error).message.split('\n')[0]);
            }
          }}
        />
        {matchError && <p className="error">{matchError}</p>}
        <label htmlFor="trigger-priority" className="field-label">
          priority
        </label>
        <DraftInput
          id="trigger-priority"
          type="number"
          value={flow.trigger?.priority === undefined ? '' : String(flow.trigger.priority)}
          placeholder="0"
          onCommit={(text) => {
            const number = Number.parseInt(text, 10);
            onValue(['trigger', 'priority'], text.trim() === '' ? undefined : Number.isFinite(number) ? number : undefined, 'flow:priority');
          }}
        />
      </fieldset>
    </div>
  );
}
