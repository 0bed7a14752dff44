import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TemplateMode } from '../api/types.js';
import { applySuggestion, filterSuggestions, partialAt, type Suggestion } from './template-suggest.js';
import { TemplatePreviewView, type SampleAlert } from './template-preview.js';

/** A template setting: a text area that completes `{{ alert.… }}` paths and previews the result live. */
export function TemplateField({
  id,
  value,
  mode,
  suggestions,
  sample,
  multiline,
  onChange,
  describedBy,
}: {
  id: string;
  value: string;
  mode: TemplateMode;
  suggestions: Suggestion[];
  sample?: SampleAlert;
  multiline: boolean;
  onChange: (value: string) => void;
  describedBy?: string;
}) {
  const input = useRef<HTMLTextAreaElement>(null);
  const [open, setOpen] = useState<{ start: number; partial: string }>();
  const [active, setActive] = useState(0);
  const pendingCaret = useRef<number>(undefined);
  const options = useMemo(() => (open ? filterSuggestions(suggestions, open.partial) : []), [open, suggestions]);
  useLayoutEffect(() => {
    if (pendingCaret.current !== undefined && input.current) {
      input.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = undefined;
    }
  });
  const look = () => {
    const element = input.current;
    if (!element) return;
    const found = partialAt(element.value, element.selectionStart ?? element.value.length);
    setOpen(found);
    setActive(0);
  };
  const accept = (suggestion: Suggestion) => {
    const element = input.current;
    if (!element || !open) return;
    const result = applySuggestion(element.value, element.selectionStart ?? element.value.length, open.start, suggestion.path);
    pendingCaret.current = result.caret;
    onChange(result.text);
    setOpen(undefined);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open || options.length === 0) {
      if (!multiline && event.key === 'Enter') event.preventDefault();
      return;
    }
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((index) => (index + 1) % options.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => (index - 1 + options.length) % options.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      accept(options[active]!);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(undefined);
    }
  };
  const listId = `${id}-suggestions`;
  const previewId = `${id}-preview`;
  return (
    <div className="template-field">
      <textarea
        ref={input}
        id={id}
        className="template-input"
        rows={multiline ? Math.min(8, Math.max(2, value.split('\n').length)) : 1}
        value={value}
        spellCheck={false}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={Boolean(open && options.length)}
        aria-controls={listId}
        aria-activedescendant={open && options.length ? `${listId}-${active}` : undefined}
        aria-describedby={[describedBy, previewId].filter(Boolean).join(' ')}
        onChange={(event) => {
          onChange(multiline ? event.target.value : event.target.value.replace(/\n/g, ' '));
          queueMicrotask(look);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(event) => {
          if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End') look();
        }}
        onClick={look}
        onBlur={() => setOpen(undefined)}
      />
      {open && options.length > 0 && (
        <ul className="suggestions" role="listbox" id={listId} aria-label="Template variables">
          {options.map((option, index) => (
            <li
              key={option.path}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'active' : undefined}
              onMouseDown={(event) => {
                event.preventDefault();
                accept(option);
              }}
            >
              <code>{option.path}</code>
              <span className="hint">{option.hint}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small-text">
        Type <code>{'{{'}</code> for alert fields · escaped as <strong>{mode}</strong>
      </p>
      <TemplatePreviewView template={value} mode={mode} sample={sample} id={previewId} />
    </div>
  );
}
