import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { ApiError, callApi, describeError } from '../api/client.js';
import type { FlowDetail, FlowProblem } from '../api/types.js';
import { dropDraft, peekDraft } from '../flows/drafts.js';
import { ErrorNote } from '../ui/error-note.js';
import { LoadFailed } from '../ui/load-failed.js';
import { recordEdit, redoEdit, startHistory, undoEdit, type EditHistory } from './edit-history.js';
import { FlowCanvas, TRIGGER_NODE } from './flow-canvas.js';
import { freeSpot, layoutFlow } from './flow-graph.js';
import { addArrow, addBox, freeBoxId, moveBox, readFlow, removeArrow, removeBoxes, renameBox, setBoxValue, setFlowValue } from './flow-yaml.js';
import { BoxInspector } from './inspector.js';
import { FlowSettings } from './flow-settings.js';
import { Palette } from './palette.js';
import { ProblemsPanel } from './problems-panel.js';
import { SimPanel } from './sim-panel.js';
import { templateSuggestions } from './template-suggest.js';
import { useDebounced } from './use-debounced.js';
import { defaultSample, useFlowResources, useRememberedSample } from './use-flow-resources.js';
import { useEditorKeys, useLeaveWarning } from './use-editor-keys.js';
import { useSimulation } from './use-simulation.js';
import { YamlPane } from './yaml-pane.js';
import { EditorToolbar } from './editor-toolbar.js';
import { Tabs } from '../ui/tabs.js';

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
  if (error) return <LoadFailed back="flows" message={error} />;
  if (!loaded) return <p className="muted">Loading the flow…</p>;
  return (
    <ReactFlowProvider>
      <Workbench id={id} initial={loaded} />
    </ReactFlowProvider>
  );
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
  const [sampleName, setSampleName] = useRememberedSample(id);
  const [choices, setChoices] = useState('');
  const [saving, setSaving] = useState(false);
  const [reveal, setReveal] = useState<{ x: number; y: number }>();
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
  const suggestions = useMemo(() => templateSuggestions(shownFlow, sample?.payload, infos), [shownFlow, sample, infos]);

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
      const answer = await callApi<{ problems: FlowProblem[]; file?: string }>(`/api/flows/${encodeURIComponent(id)}`, { method: 'PUT', body: { yaml: text } });
      setSaved(text);
      setFile(answer.file ?? `flows/${id}.yaml`);
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

  useEditorKeys({ save: () => void save(), undo: () => setHistory(undoEdit), redo: () => setHistory(redoEdit) });
  useLeaveWarning(dirty);

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
      if (!position) setReveal({ ...where });
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
      <EditorToolbar
        title={shownFlow?.name || id}
        file={file}
        dirty={dirty}
        canUndo={history.past.length > 0}
        canRedo={history.future.length > 0}
        onUndo={() => setHistory(undoEdit)}
        onRedo={() => setHistory(redoEdit)}
        samples={samples}
        sampleName={sample?.name}
        onSample={setSampleName}
        choices={choices}
        onChoices={setChoices}
        testRunning={simulation.busy}
        canTestRun={!simulation.busy && yamlProblems.length === 0}
        onTestRun={() => {
          setDock('test');
          void simulation.run(
            text,
            sampleAlert,
            choices
              .split(',')
              .map((item) => item.trim())
              .filter(Boolean),
          );
        }}
        saving={saving}
        canSave={!saving && (dirty || saved === undefined)}
        onSave={() => void save()}
        saveNote={saveNote}
      />
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
              reveal={reveal}
            />
          ) : (
            <p className="empty">The YAML does not parse yet; fix it below.</p>
          )}
          <div className="dock">
            <Tabs
              label="Panels"
              items={[
                { id: 'problems', label: `Problems${errors > 0 ? ` (${errors})` : ''}` },
                { id: 'test', label: 'Test run' },
                { id: 'yaml', label: 'YAML' },
              ]}
              selected={dock}
              onSelect={(id) => setDock(id as Dock)}
            />
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
              {dock === 'yaml' && <YamlPane text={text} onChange={(next) => setHistory((current) => recordEdit(current, next, 'yaml-pane'))} showLine={yamlLine} />}
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
              onArrow={(arrow, add) => edit((current) => (add ? addArrow(current, arrow.from, arrow.output, arrow.to) : removeArrow(current, arrow.from, arrow.output, arrow.to)))}
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
