import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem {
  id: string;
  label: ReactNode;
}

/**
 * A row of tabs as assistive technology expects them: one tab stop, arrow keys (and Home/End)
 * move between tabs and select them.
 */
export function Tabs({ items, selected, onSelect, label, after }: { items: TabItem[]; selected: string; onSelect: (id: string) => void; label: string; after?: ReactNode }) {
  const row = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    const index = items.findIndex((item) => item.id === selected);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % items.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + items.length) % items.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? items.length - 1
              : -1;
    if (next === -1 || items.length === 0) return;
    event.preventDefault();
    onSelect(items[next]!.id);
    row.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[next]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} ref={row} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button key={item.id} type="button" role="tab" aria-selected={item.id === selected} tabIndex={item.id === selected ? 0 : -1} onClick={() => onSelect(item.id)}>
          {item.label}
        </button>
      ))}
      {after}
    </div>
  );
}
