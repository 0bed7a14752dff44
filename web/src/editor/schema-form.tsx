import type { ReactNode } from 'react';
import type { JsonSchema, TemplateMode } from '../api/types.js';
import { DraftInput } from './draft-input.js';
import { fieldKindOf, formatTextOrList, parseTextOrList } from './schema-fields.js';
import { TemplateField } from './template-field.js';
import { ObjectListField, RecordField, YamlField } from './collection-fields.js';
import type { SampleAlert } from './template-preview.js';
import type { Suggestion } from './template-suggest.js';

export type Path = (string | number)[];
/** A change to one value of the box; `undefined` removes it. `key` groups keystrokes into one undo step. */
export type OnValue = (path: Path, value: unknown, key: string) => void;

export interface FormContext {
  idPrefix: string;
  templates: Record<string, TemplateMode>;
  suggestions: Suggestion[];
  sample?: SampleAlert;
  onValue: OnValue;
}

const SKIP = new Set(['id', 'type', 'title', 'next', 'on', 'position']);
const MULTILINE = /text|body|question|description|message/i;

/** A form for a box's settings, generated from its type's JSON Schema. */
export function SchemaForm({ schema, value, context }: { schema: JsonSchema; value: Record<string, unknown>; context: FormContext }) {
  const properties = Object.entries(schema.properties ?? {}).filter(([name]) => !SKIP.has(name));
  // Settings in the file that the schema does not know: shown so they can be fixed or removed.
  const unknown = Object.keys(value).filter((name) => !SKIP.has(name) && !(schema.properties && name in schema.properties));
  if (properties.length === 0 && unknown.length === 0) return <p className="muted">This box has no settings.</p>;
  return (
    <div className="schema-form">
      {properties.map(([name, property]) => (
        <Field key={name} path={[name]} name={name} schema={property} value={value[name]} required={schema.required?.includes(name) ?? false} context={context} template={context.templates[name]} />
      ))}
      {unknown.map((name) => (
        <Field key={name} path={[name]} name={name} schema={{}} value={value[name]} required={false} context={context} unknownSetting />
      ))}
    </div>
  );
}

function Field({
  path,
  name,
  schema,
  value,
  required,
  context,
  template,
  unknownSetting,
}: {
  path: Path;
  name: string;
  schema: JsonSchema;
  value: unknown;
  required: boolean;
  context: FormContext;
  template?: TemplateMode;
  unknownSetting?: boolean;
}) {
  const id = `${context.idPrefix}-${path.join('-')}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const helpId = `${id}-help`;
  const key = `${context.idPrefix}:${path.join('.')}`;
  const set = (next: unknown) => context.onValue(path, next, key);
  const kind = fieldKindOf(schema, value);
  const placeholder = schema.default !== undefined && typeof schema.default !== 'object' ? String(schema.default) : undefined;
  const label = (
    <label htmlFor={id} className="field-label">
      {name}
      {required && <span aria-label="required"> *</span>}
      {unknownSetting && <span className="warning"> (not a setting of this box)</span>}
    </label>
  );
  const help = schema.description ? (
    <p id={helpId} className="muted small-text">
      {schema.description}
    </p>
  ) : null;
  const describedBy = schema.description ? helpId : undefined;
  /** A control under the field's label and help: how every single-value setting is laid out. */
  const framed = (control: ReactNode) => (
    <div className="field">
      {label}
      {help}
      {control}
    </div>
  );
  const blankIsAbsent = (text: string) => (text === '' && !required ? undefined : text);

  if (template && (kind.kind === 'text' || value === undefined)) {
    return framed(
      <>
        <TemplateField
          id={id}
          value={typeof value === 'string' ? value : ''}
          mode={template}
          suggestions={context.suggestions}
          sample={context.sample}
          multiline={MULTILINE.test(name) || (typeof value === 'string' && value.includes('\n'))}
          describedBy={describedBy}
          onChange={(text) => set(blankIsAbsent(text))}
        />
        {placeholder && value === undefined && <p className="muted small-text">Default: {placeholder}</p>}
      </>,
    );
  }
  switch (kind.kind) {
    case 'text':
      return framed(
        <DraftInput
          id={id}
          value={typeof value === 'string' ? value : ''}
          placeholder={placeholder}
          aria-describedby={describedBy}
          multiline={MULTILINE.test(name)}
          rows={MULTILINE.test(name) ? 3 : undefined}
          pattern={schema.pattern}
          onCommit={(text) => set(blankIsAbsent(text))}
        />,
      );
    case 'select':
      return framed(
        <select id={id} value={typeof value === 'string' ? value : ''} aria-describedby={describedBy} onChange={(event) => set(event.target.value || undefined)}>
          <option value="">{placeholder ? `default (${placeholder})` : required ? 'choose…' : 'none'}</option>
          {kind.options.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>,
      );
    case 'number':
      return framed(
        <DraftInput
          id={id}
          type="number"
          inputMode="numeric"
          value={typeof value === 'number' ? String(value) : ''}
          placeholder={placeholder}
          aria-describedby={describedBy}
          onCommit={(text) => {
            if (text.trim() === '') return set(undefined);
            const number = kind.integer ? Number.parseInt(text, 10) : Number(text);
            if (Number.isFinite(number)) set(number);
          }}
        />,
      );
    case 'boolean':
      return (
        <div className="field checkbox">
          <input id={id} type="checkbox" checked={typeof value === 'boolean' ? value : schema.default === true} aria-describedby={describedBy} onChange={(event) => set(event.target.checked)} />
          {label}
          {help}
        </div>
      );
    case 'text-or-list':
      return framed(
        <>
          <DraftInput id={id} value={formatTextOrList(value)} placeholder={placeholder} aria-describedby={describedBy} onCommit={(text) => set(parseTextOrList(text))} />
          <p className="muted small-text">Several? Separate them with commas.</p>
        </>,
      );
    case 'list':
      return framed(
        <DraftInput
          id={id}
          multiline
          rows={Math.max(2, Array.isArray(value) ? value.length + 1 : 2)}
          value={Array.isArray(value) ? value.join('\n') : ''}
          placeholder={Array.isArray(schema.default) ? (schema.default as string[]).join('\n') : 'one per line'}
          aria-describedby={describedBy}
          onCommit={(text) => {
            const items = text
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean);
            set(items.length ? items : undefined);
          }}
        />,
      );
    case 'record':
      return <RecordField id={id} label={label} help={help} value={(value ?? {}) as Record<string, string>} context={context} path={path} />;
    case 'object-list':
      return <ObjectListField id={id} label={label} help={help} item={kind.item} value={(value ?? []) as Record<string, unknown>[]} context={context} path={path} />;
    case 'object':
      return (
        <fieldset className="field nested">
          <legend>{name}</legend>
          {help}
          {Object.entries(kind.schema.properties ?? {}).map(([child, property]) => (
            <Field
              key={child}
              path={[...path, child]}
              name={child}
              schema={property}
              value={(value as Record<string, unknown> | undefined)?.[child]}
              required={kind.schema.required?.includes(child) ?? false}
              context={context}
            />
          ))}
        </fieldset>
      );
    case 'yaml':
      return <YamlField id={id} label={label} help={help} value={value} onValue={set} />;
  }
}
