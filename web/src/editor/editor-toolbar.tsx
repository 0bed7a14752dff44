import type { Sample } from '../api/types.js';
import { hrefOf } from '../router.js';

/** The editor's top bar: where the flow lives, undo/redo, the sample alert, the test run and save. */
export function EditorToolbar(props: {
  title: string;
  file?: string;
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  samples: Sample[];
  sampleName?: string;
  onSample: (name: string) => void;
  choices: string;
  onChoices: (text: string) => void;
  testRunning: boolean;
  canTestRun: boolean;
  onTestRun: () => void;
  saving: boolean;
  canSave: boolean;
  onSave: () => void;
  saveNote?: string;
}) {
  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Flow">
      <a href={hrefOf({ page: 'flows' })} className="ghost">
        ← Flows
      </a>
      <h1 className="editor-title">
        {props.title}{' '}
        <span className="muted small-text" title={props.file}>
          {props.file ? props.file.split(/[\\/]/).slice(-2).join('/') : 'new, not saved'}
        </span>
      </h1>
      <span className={props.dirty ? 'dirty' : 'clean'} role="status">
        {props.dirty ? 'unsaved changes' : 'saved'}
      </span>
      <button type="button" onClick={props.onUndo} disabled={!props.canUndo} aria-keyshortcuts="Control+Z">
        Undo
      </button>
      <button type="button" onClick={props.onRedo} disabled={!props.canRedo} aria-keyshortcuts="Control+Shift+Z">
        Redo
      </button>
      <label className="inline" htmlFor="editor-sample">
        Sample
      </label>
      <select id="editor-sample" value={props.sampleName ?? ''} onChange={(event) => props.onSample(event.target.value)}>
        {props.samples.length === 0 && <option value="">none</option>}
        {props.samples.map((item) => (
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
        value={props.choices}
        placeholder="e.g. rising, done"
        title="Buttons to press in the test run, in order (choice ids)"
        onChange={(event) => props.onChoices(event.target.value)}
      />
      <button type="button" disabled={!props.canTestRun} onClick={props.onTestRun}>
        {props.testRunning ? 'Running…' : 'Test run'}
      </button>
      <button type="button" className="primary" onClick={props.onSave} disabled={!props.canSave} aria-keyshortcuts="Control+S">
        {props.saving ? 'Saving…' : 'Save'}
      </button>
      {props.saveNote && (
        <span className="save-note" role="status">
          {props.saveNote}
        </span>
      )}
    </div>
  );
}
