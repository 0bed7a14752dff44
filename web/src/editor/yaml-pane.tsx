import { useEffect, useRef, type MutableRefObject } from 'react';

/** The flow as YAML, editable: the canvas follows as soon as the text parses. */
export function YamlPane({ text, onChange, showLine }: { text: string; onChange: (text: string) => void; showLine: MutableRefObject<((line: number) => void) | undefined> }) {
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    showLine.current = (line: number) => {
      const element = area.current;
      if (!element) return;
      const lines = element.value.split('\n');
      const start = lines.slice(0, Math.max(0, line - 1)).reduce((sum, item) => sum + item.length + 1, 0);
      element.focus();
      element.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
      const lineHeight = Number.parseFloat(getComputedStyle(element).lineHeight) || 18;
      element.scrollTop = Math.max(0, (line - 4) * lineHeight);
    };
    return () => {
      showLine.current = undefined;
    };
  }, [showLine]);
  return (
    <div className="yaml-pane">
      <label htmlFor="flow-yaml" className="visually-hidden">
        Flow YAML
      </label>
      <textarea id="flow-yaml" ref={area} spellCheck={false} value={text} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}
