import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { ApiError, callApi, describeError } from '../api/client.js';
import type { FlowDetail, FlowProblem } from '../api/types.js';
import { dropDraft, peekDraft } from '../flows/drafts.js';
import { hrefOf } from '../router.js';
import { ErrorNote } from '../ui/error-note.js';
import { recordEdit, redoEdit, startHistory, undoEdit, type EditHistory } from './edit-history.js';
import { FlowCanvas, TRIGGER_NODE } from './flow-canvas.js';
import { freeSpot, layoutFlow, type Arrow } from './flow-graph.js';
import {
  addArrow,
  addBox,
  freeBoxId,
  moveBox,
  readFlow,
  removeArrow,
  removeBoxes,
  renameBox,
  setBoxValue,
  setFlowValue,
} from './flow-yaml.js';
import { BoxInspector, FlowSettings } from './inspector.js';
import { Palette } from './palette.js';
import { ProblemsPanel } from './problems-panel.js';
import { SimPanel } from './sim-panel.js';
import { templateSuggestions } from './template-suggest.js';
import { useDebounced } from './use-debounced.js';
import { defaultSample, useFlowResources } from './use-flow-resources.js';
import { useSimulation } from './use-simulation.js';
import { YamlPane } from './yaml-pane.js';

type Loaded = { text: string; saved: string | undefined; file?: string };
type Dock = 'problems' | 'test' | 'yaml';

/** The flow editor page: loads the flow (or a new draft), then hands it to the workbench. */
export function FlowEditor({ id }: { id: string }) {
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const draft = peekDraft(id);
    if (draft !== undefined) return setLoaded({ text: draft, saved: undefined });
    callApi<FlowDetail>(`/api/flows/${encodeURIComponent(id)}`)
      .then((detail) => setLoaded({ text: detail.yaml, saved: detail.yaml, file: detail.file }))
      .catch((caught) => setError(describeError(caught)));
  }, [id]);
  if (error)
    return (
      <section>
        <p>
          <a href={hrefOf({ page: 'flows' })}>← Flows</a>
        </p>
        <ErrorNote message={error} />
      </section>
    );
  if (!loaded) return <p className="muted">Loading the flow…</p>;
  return (
    <ReactFlowProvider>
      <Workbench id={id} initial={loaded} />
    </ReactFlowProvider>
  );
}

function readStored(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function writeStored(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage refused (private mode): the choice lasts for this page only
  }
}

function Workbench({ id, initial }: { id: string; initial: Loaded }) {
  const [history, setHistory] = useState<EditHistory>(() => startHistory(initial.text));
  const [saved, setSaved] = useState(initial.saved);
  const [file, setFile] = useState(initial.file);
  const [selected, setSelected] = useState<string>();
  const [editError, setEditError] = useState<string>();
  const [saveNote, setSaveNote] = useState<string>();
  const [serverProblems, setServerProblems] = useState<FlowProblem[]>([]);
  const [dock, setDock] = useState<Dock>('problems');
  // The sample a person picked for this flow is remembered in this browser.
  const sampleKey = `sidekick.sample.${id}`;
  const [sampleName, setSampleNameState] = useState<string | undefined>(() => readStored(sampleKey));
  const setSampleName = (name: string) => {
    setSampleNameState(name);
    writeStored(sampleKey, name);
  };
  const [choices, setChoices] = useState('');
  const [saving, setSaving] = useState(false);
  const yamlLine = useRef<(line: number) => void>(undefined);
  const { boxes, infos, samples, error: resourceError } = useFlowResources();
  const simulation = useSimulation();
  const text = history.present;
  const { flow, problems: yamlProblems } = useMemo(() => readFlow(text), [text]);
  // The last flow that parsed stays on the canvas while the YAML is being fixed.
  const lastFlow = useRef(flow);
  if (flow) lastFlow.current = flow;
  const shownFlow = flow ?? lastFlow.current;
  const dirty = saved !== text;

  const sample = useMemo(() => {
    const chosen = samples.find((item) => item.name === sampleName) ?? defaultSample(samples, shownFlow);
    return chosen ? { name: chosen.name, source: chosen.source, payload: chosen.payload } : undefined;
  }, [samples, sampleName, shownFlow]);
  const sampleAlert = useMemo(() => (sample ? { source: sample.source, payload: sample.payload } : undefined), [sample]);
  const suggestions = useMemo(() => templateSuggestions(shownFlow, sample?.payload), [shownFlow, sample]);

  // Validation runs on the server so the editor and `sidekick validate` always agree.
  const settled = useDebounced(text, 350);
  useEffect(() => {
    const controller = new AbortController();
    callApi<{ problems: FlowProblem[] }>('/api/flows/validate', {
      method: 'POST',
      body: { yaml: settled, file: (file ?? `${id}.yaml`).split(/[\\/]/).pop() },
      signal: controller.signal,
    })
      .then((answer) => setServerProblems(answer.problems))
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setEditError(describeError(caught));
      });
    return () => controller.abort();
  }, [settled, file, id]);
  const problems = useMemo<FlowProblem[]>(
    () =>
      yamlProblems.length
        ? yamlProblems.map((problem) => ({ code: 'FLOW_YAML_SYNTAX', message: problem.message, file: file ?? `${id}.yaml`, line: problem.line, severity: 'error' as const }))
        : serverProblems,
    [yamlProblems, serverProblems, file, id],
  );

  const edit = useCallback((change: (text: string) => string, coalesceKey?: string) => {
    setHistory((current) => {
      try {
        const next = change(current.present);
        setEditError(undefined);
        return recordEdit(current, next, coalesceKey);
      } catch (caught) {
        setEditError(describeError(caught));
        return current;
      }
    });
  }, []);

  const save = useCallback(async () => {
    setSaving(true);
    setSaveNote(undefined);
    try {
      const answer = await callApi<{ problems: FlowProblem[] }>(`/api/flows/${encodeURIComponent(id)}`, { method: 'PUT', body: { yaml: text } });
      setSaved(text);
      setFile((current) => current ?? `flows/${id}.yaml`);
      setServerProblems(answer.problems ?? []);
      dropDraft(id);
      setSaveNote('Saved.');
    } catch (caught) {
      const body = caught instanceof ApiError ? (caught.body as { problems?: FlowProblem[] } | undefined) : undefined;
      if (body?.problems) {
        setServerProblems(body.problems);
        setDock('problems');
        setSaveNote('Not saved: fix the errors first.');
      } else setSaveNote(`Not saved: ${describeError(caught)}`);
    } finally {
      setSaving(false);
    }
  }, [id, text]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === 's') {
        event.preventDefault();
        void save();
        return;
      }
      // Inside a text field, undo belongs to the field.
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        setHistory(undoEdit);
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        setHistory(redoEdit);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const addBoxOfType = useCallback(
    (type: string, position?: { x: number; y: number }) => {
      const info = infos.get(type);
      const boxId = freeBoxId(shownFlow, type);
      const defaults: Record<string, unknown> = {};
      for (const name of info?.schema.required ?? []) {
        const property = info?.schema.properties?.[name];
        if (property?.default !== undefined) defaults[name] = property.default;
      }
      const where = position ?? freeSpot(shownFlow ? layoutFlow(shownFlow).boxes.values() : []);
      edit((current) => addBox(current, { id: boxId, type, ...defaults, position: where }));
      setSelected(boxId);
    },
    [edit, infos, shownFlow],
  );

  const selectedBox = shownFlow?.boxes.find((box) => box.id === selected);
  const formContext = {
    suggestions,
    sample: sampleAlert,
    onValue: (path: (string | number)[], value: unknown, key: string) => {
      if (selectedBox) edit((current) => setBoxValue(current, selectedBox.id, path, value), key);
    },
  };
  const errors = problems.filter((problem) => problem.severity === 'error').length;

  return (
    <div className="editor">
      <div className="editor-toolbar" role="toolbar" aria-label="Flow">
        <a href={hrefOf({ page: 'flows' })} className="ghost">
          ← Flows
        </a>
        <h1 className="editor-title">
          {shownFlow?.name || id}{' '}
          <span className="muted small-text" title={file}>
            {file ? file.split(/[\\/]/).slice(-2).join('/') : 'new, not saved'}
          </span>
        </h1>
        <span className={dirty ? 'dirty' : 'clean'} role="status">
          {dirty ? 'unsaved changes' : 'saved'}
        </span>
        <button type="button" onClick={() => setHistory(undoEdit)} disabled={history.past.length === 0} aria-keyshortcuts="Control+Z">
          Undo
        </button>
        <button type="button" onClick={() => setHistory(redoEdit)} disabled={history.future.length === 0} aria-keyshortcuts="Control+Shift+Z">
          Redo
        </button>
        <label className="inline" htmlFor="editor-sample">
          Sample
        </label>
        <select id="editor-sample" value={sample?.name ?? ''} onChange={(event) => setSampleName(event.target.value)}>
            {samples.length === 0 && <option value="">none</option>}
            {samples.map((item) => (
              <option key={item.name} value={item.name}>
                {item.name}
              </option>
            ))}
        </select>
        <label className="inline" htmlFor="editor-clicks">
          Clicks
        </label>
        <input
            id="editor-clicks"
            className="choices-input"
            value={choices}
            placeholder="e.g. rising, done"
            title="Buttons to press in the test run, in order (choice ids)"
            onChange={(event) => setChoices(event.target.value)}
        />
        <button
          type="button"
          disabled={simulation.busy || yamlProblems.length > 0}
          onClick={() => {
            setDock('test');
            void simulation.run(text, sampleAlert, choices.split(',').map((item) => item.trim()).filter(Boolean));
          }}
        >
          {simulation.busy ? 'Running…' : 'Test run'}
        </button>
        <button type="button" className="primary" onClick={() => void save()} disabled={saving || (!dirty && saved !== undefined)} aria-keyshortcuts="Control+S">
          {saving ? 'Saving…' : 'Save'}
        </button>
        {saveNote && (
          <span className="save-note" role="status">
            {saveNote}
          </span>
        )}
      </div>
      <ErrorNote message={editError ?? resourceError} />
      <div className="editor-main">
        <Palette boxes={boxes} onAdd={(type) => addBoxOfType(type)} />
        <div className="editor-center">
          {shownFlow ? (
            <FlowCanvas
              flow={shownFlow}
              infos={infos}
              problems={problems}
              selected={selected}
              sim={simulation.view}
              onSelect={setSelected}
              onConnect={(arrow) => edit((current) => addArrow(current, arrow.from, arrow.output, arrow.to))}
              onDelete={(ids, arrows) =>
                edit((current) => {
                  let next = removeBoxes(current, ids);
                  for (const arrow of arrows) {
                    if (!ids.includes(arrow.from) && !ids.includes(arrow.to)) next = removeArrow(next, arrow.from, arrow.output, arrow.to);
                  }
                  return next;
                })
              }
              onMove={(boxId, position) => edit((current) => moveBox(current, boxId, position))}
              onDropType={(type, position) => addBoxOfType(type, position)}
            />
          ) : (
            <p className="empty">The YAML does not parse yet; fix it below.</p>
          )}
          <div className="dock">
            <div className="tabs" role="tablist" aria-label="Panels">
              <button type="button" role="tab" aria-selected={dock === 'problems'} onClick={() => setDock('problems')}>
                Problems {errors > 0 ? `(${errors})` : ''}
              </button>
              <button type="button" role="tab" aria-selected={dock === 'test'} onClick={() => setDock('test')}>
                Test run
              </button>
              <button type="button" role="tab" aria-selected={dock === 'yaml'} onClick={() => setDock('yaml')}>
                YAML
              </button>
            </div>
            <div className="dock-body" role="tabpanel">
              {dock === 'problems' && (
                <ProblemsPanel
                  problems={problems}
                  onSelectBox={setSelected}
                  onShowLine={(line) => {
                    setDock('yaml');
                    window.setTimeout(() => yamlLine.current?.(line), 0);
                  }}
                />
              )}
              {dock === 'test' &&
                (simulation.error ? (
                  <ErrorNote message={simulation.error} />
                ) : simulation.result ? (
                  <SimPanel result={simulation.result} shown={simulation.shown} done={simulation.done} onSkip={simulation.skip} onClose={simulation.clear} />
                ) : (
                  <p className="muted">“Test run” plays the flow against the sample alert on a fake clock: nothing is posted anywhere.</p>
                ))}
              {dock === 'yaml' && (
                <YamlPane text={text} onChange={(next) => setHistory((current) => recordEdit(current, next, 'yaml-pane'))} showLine={yamlLine} />
              )}
            </div>
          </div>
        </div>
        <aside className="inspector" aria-label="Inspector">
          {selectedBox && shownFlow ? (
            <BoxInspector
              key={selectedBox.id}
              box={selectedBox}
              flow={shownFlow}
              info={infos.get(selectedBox.type)}
              problems={problems.filter((problem) => problem.boxId === selectedBox.id)}
              context={formContext}
              onRename={(to) => {
                try {
                  const next = renameBox(text, selectedBox.id, to);
                  setHistory((current) => recordEdit(current, next));
                  setSelected(to);
                  return undefined;
                } catch (caught) {
                  return describeError(caught);
                }
              }}
              onArrow={(arrow, add) =>
                edit((current) => (add ? addArrow(current, arrow.from, arrow.output, arrow.to) : removeArrow(current, arrow.from, arrow.output, arrow.to)))
              }
              onDelete={() => {
                edit((current) => removeBoxes(current, [selectedBox.id]));
                setSelected(undefined);
              }}
            />
          ) : shownFlow && (selected === TRIGGER_NODE || !selected) ? (
            <FlowSettings flow={shownFlow} onValue={(path, value, key) => edit((current) => setFlowValue(current, path, value), key)} />
          ) : null}
        </aside>
      </div>
    </div>
  );
}
