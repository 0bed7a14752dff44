import { useState, type ReactNode } from 'react';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { JsonSchema } from '../api/types.js';
import { DraftInput } from './draft-input.js';
import { formatTextOrList } from './schema-fields.js';
import type { FormContext, Path } from './schema-form.js';

/* Controls for settings that hold several values: maps, lists of objects, and anything else as YAML. */

/** A map of names to text (`links`, `headers`, `set`). */
export function RecordField({ id, label, help, value, context, path }: { id: string; label: ReactNode; help: ReactNode; value: Record<string, string>; context: FormContext; path: Path }) {
  const entries = Object.entries(value);
  const [newKey, setNewKey] = useState('');
  const rename = (from: string, to: string) => {
    if (!to || to === from || to in value) return;
    context.onValue(path, Object.fromEntries(entries.map(([key, item]) => [key === from ? to : key, item])), `${id}:rename`);
  };
  return (
    <fieldset className="field record" id={id}>
      <legend>{label}</legend>
      {help}
      {entries.map(([key, item], index) => (
        <div className="record-row" key={index}>
          <DraftInput aria-label={`Name ${index + 1}`} value={key} onCommit={() => undefined} onBlur={(event) => rename(key, (event.target as HTMLInputElement).value.trim())} />
          <DraftInput aria-label={`Value of ${key}`} value={item} onCommit={(text) => context.onValue([...path, key], text, `${id}:${key}`)} />
          <button type="button" className="ghost small" aria-label={`Remove ${key}`} onClick={() => context.onValue([...path, key], undefined, `${id}:remove`)}>
            ×
          </button>
        </div>
      ))}
      <div className="record-row">
        <input aria-label="New name" placeholder="new name" value={newKey} onChange={(event) => setNewKey(event.target.value)} />
        <button
          type="button"
          className="small"
          disabled={!newKey.trim() || newKey.trim() in value}
          onClick={() => {
            context.onValue([...path, newKey.trim()], '', `${id}:add`);
            setNewKey('');
          }}
        >
          Add
        </button>
      </div>
    </fieldset>
  );
}

/** A list of small objects (an ask box's choices). */
export function ObjectListField({
  id,
  label,
  help,
  item,
  value,
  context,
  path,
}: {
  id: string;
  label: ReactNode;
  help: ReactNode;
  item: JsonSchema;
  value: Record<string, unknown>[];
  context: FormContext;
  path: Path;
}) {
  const properties = Object.entries(item.properties ?? {});
  return (
    <fieldset className="field object-list" id={id}>
      <legend>{label}</legend>
      {help}
      {value.map((entry, index) => (
        <div className="object-row" key={index}>
          {properties.map(([name, property]) => (
            <label key={name} className="inline-field">
              <span>{name}</span>
              <DraftInput
                value={typeof entry[name] === 'string' ? (entry[name] as string) : formatTextOrList(entry[name])}
                pattern={property.pattern}
                onCommit={(text) => context.onValue([...path, index, name], property.type === 'number' || property.type === 'integer' ? Number(text) : text, `${id}:${index}:${name}`)}
              />
            </label>
          ))}
          <button type="button" className="ghost small" aria-label={`Remove item ${index + 1}`} onClick={() => context.onValue([...path, index], undefined, `${id}:remove`)}>
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="small"
        onClick={() => {
          const fresh = Object.fromEntries(properties.map(([name]) => [name, name === 'id' ? `choice-${value.length + 1}` : name === 'label' ? `Choice ${value.length + 1}` : '']));
          context.onValue([...path, value.length], fresh, `${id}:add`);
        }}
      >
        Add
      </button>
    </fieldset>
  );
}

/** Any value the form has no control for, edited as YAML. */
export function YamlField({ id, label, help, value, onValue }: { id: string; label: ReactNode; help: ReactNode; value: unknown; onValue: (value: unknown) => void }) {
  const [error, setError] = useState<string>();
  const text = value === undefined ? '' : stringifyYaml(value, { lineWidth: 0 }).trimEnd();
  return (
    <div className="field">
      {label}
      {help}
      <DraftInput
        id={id}
        multiline
        className="yaml-input"
        rows={Math.min(10, Math.max(2, text.split('\n').length + 1))}
        spellCheck={false}
        value={text}
        onCommit={(draft) => {
          if (!draft.trim()) {
            setError(undefined);
            return onValue(undefined);
          }
          try {
            onValue(parseYaml(draft, { maxAliasCount: 10 }));
            setError(undefined);
          } catch (caught) {
            setError((caught as Error).message.split('\n')[0]);
          }
        }}
      />
      <p className="muted small-text">Written as YAML.</p>
      {error && <p className="error">{error}</p>}
    </div>
  );
}
