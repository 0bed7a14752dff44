import { useEffect, useState, type FormEvent } from 'react';
import { callApi, describeError } from '../api/client.js';
import type { FlowDetail, FlowProblem, FlowSummary } from '../api/types.js';
import { hrefOf, navigate } from '../router.js';
import { ErrorNote } from '../ui/error-note.js';
import { putDraft } from './drafts.js';
import { FLOW_TEMPLATES } from './flow-templates.js';

const FLOW_ID = /^[a-z0-9][a-z0-9_-]*$/i;

function triggerText(trigger: FlowSummary['trigger']): string {
  const match = Object.entries(trigger.match ?? {})
    .map(([key, value]) => `${key} ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
  return `on ${trigger.on}${match ? ` · ${match}` : ''}`;
}

/** The last two parts of a path: enough to tell files apart, short enough to read. */
function shortPath(file: string): string {
  return file.split(/[\\/]/).slice(-2).join('/');
}

/** A flow's id is its file name without the extension. */
function idOfFile(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.ya?ml$/i, '');
}

function groupByFile(problems: FlowProblem[]): Map<string, FlowProblem[]> {
  const groups = new Map<string, FlowProblem[]>();
  for (const problem of problems) groups.set(problem.file, [...(groups.get(problem.file) ?? []), problem]);
  return groups;
}

/** The flows in `flows/`, with their problems, and the way to start a new one. */
export function FlowList() {
  const [flows, setFlows] = useState<FlowSummary[]>();
  const [problems, setProblems] = useState<FlowProblem[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    callApi<{ flows: FlowSummary[]; problems: FlowProblem[] }>('/api/flows')
      .then((answer) => {
        setFlows(answer.flows);
        setProblems(answer.problems ?? []);
      })
      .catch((caught) => setError(describeError(caught)));
  }, []);
  // Flows with errors are not loaded, so they are missing from `flows`; their problems still name the
  // file. A flow kept at its previous version lists its file's problems itself.
  const loadedFiles = new Set((flows ?? []).flatMap((flow) => flow.problems.map((problem) => problem.file)));
  const brokenFiles = [...groupByFile(problems.filter((problem) => !loadedFiles.has(problem.file))).entries()];
  return (
    <section aria-labelledby="flows-title">
      <div className="page-head">
        <h1 id="flows-title">Flows</h1>
      </div>
      <ErrorNote message={error} />
      {flows === undefined && !error && <p className="muted">Loading flows…</p>}
      {flows && flows.length === 0 && <p className="empty">No flows yet. Start one below.</p>}
      {flows && flows.length > 0 && (
        <table className="flows">
          <thead>
            <tr>
              <th scope="col">Flow</th>
              <th scope="col">Trigger</th>
              <th scope="col">File</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {flows.map((flow) => {
              const errors = flow.problems.filter((problem) => problem.severity === 'error').length;
              return (
                <tr key={flow.id}>
                  <td>
                    <a href={hrefOf({ page: 'flow', id: flow.id })}>{flow.name || flow.id}</a>
                    {flow.name && <span className="muted small-text"> {flow.id}</span>}
                  </td>
                  <td>{triggerText(flow.trigger)}</td>
                  <td className="muted" title={flow.file}>
                    {shortPath(flow.file)}
                  </td>
                  <td>
                    {!flow.enabled && <span className="badge">off</span>}{' '}
                    {flow.kept && (
                      <span className="badge warning-badge" title="The file has errors; the version read before keeps running until they are fixed">
                        previous version running
                      </span>
                    )}{' '}
                    {errors > 0 ? (
                      <span className="badge problem-badge">{errors} errors</span>
                    ) : flow.problems.length > 0 ? (
                      <span className="badge warning-badge">{flow.problems.length} warnings</span>
                    ) : (
                      <span className="badge ok-badge">valid</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {brokenFiles.length > 0 && (
        <details open>
          <summary>Flows that do not load ({brokenFiles.length})</summary>
          <ul className="problems">
            {brokenFiles.map(([file, list]) => (
              <li key={file}>
                <a href={hrefOf({ page: 'flow', id: idOfFile(file) })}>{idOfFile(file)}</a> <span className="muted small-text">{file}</span>
                <ul className="problems">
                  {list.map((problem, index) => (
                    <li key={index} className={`problem ${problem.severity}`}>
                      <code>{problem.code}</code> line {problem.line} — {problem.message}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </details>
      )}
      <NewFlowForm flows={flows ?? []} />
    </section>
  );
}

function NewFlowForm({ flows }: { flows: FlowSummary[] }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [template, setTemplate] = useState(FLOW_TEMPLATES[0]!.key);
  const [error, setError] = useState<string>();
  const taken = flows.some((flow) => flow.id === id);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!FLOW_ID.test(id)) return setError('A flow id uses letters, digits, - and _ (it names the file).');
    if (taken) return setError(`A flow "${id}" exists already.`);
    try {
      let yaml: string;
      if (template.startsWith('copy:')) {
        const source = await callApi<FlowDetail>(`/api/flows/${encodeURIComponent(template.slice(5))}`);
        // The copy lives in another folder, so a sample path relative to the original would break.
        const { setFlowValue } = await import('../editor/flow-yaml.js');
        yaml = setFlowValue(setFlowValue(source.yaml, ['id'], id), ['sample'], undefined);
        if (name.trim()) yaml = setFlowValue(yaml, ['name'], name.trim());
      } else {
        yaml = FLOW_TEMPLATES.find((item) => item.key === template)!.yaml(id, name.trim() || id);
      }
      putDraft(id, yaml);
      navigate({ page: 'flow', id });
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <form className="card new-flow" onSubmit={submit} aria-labelledby="new-flow-title">
      <h2 id="new-flow-title">New flow</h2>
      <div className="form-row">
        <label>
          id (file name)
          <input required value={id} pattern="[A-Za-z0-9][A-Za-z0-9_\-]*" placeholder="db-page-team" onChange={(event) => setId(event.target.value.trim())} />
        </label>
        <label>
          Name
          <input value={name} placeholder="Page the database team" onChange={(event) => setName(event.target.value)} />
        </label>
      </div>
      <fieldset className="templates">
        <legend>Start from</legend>
        {FLOW_TEMPLATES.map((item) => (
          <label key={item.key} className="template-option">
            <input type="radio" name="template" value={item.key} checked={template === item.key} onChange={() => setTemplate(item.key)} />
            <span>
              <strong>{item.title}</strong>
              <span className="muted small-text"> {item.description}</span>
            </span>
          </label>
        ))}
        {flows.length > 0 && (
          <label className="template-option">
            <input type="radio" name="template" checked={template.startsWith('copy:')} onChange={() => setTemplate(`copy:${flows[0]!.id}`)} />
            <span>
              <strong>A copy of</strong>{' '}
              <select aria-label="Flow to copy" value={template.startsWith('copy:') ? template.slice(5) : flows[0]!.id} onChange={(event) => setTemplate(`copy:${event.target.value}`)}>
                {flows.map((flow) => (
                  <option key={flow.id} value={flow.id}>
                    {flow.name || flow.id}
                  </option>
                ))}
              </select>
            </span>
          </label>
        )}
      </fieldset>
      {taken && <p className="warning">A flow with this id exists.</p>}
      <ErrorNote message={error} />
      <button type="submit" className="primary" disabled={!id || taken}>
        Create and open
      </button>
    </form>
  );
}
