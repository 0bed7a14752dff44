import { useEffect, useRef, useState, type InputHTMLAttributes, type TextareaHTMLAttributes } from 'react';

/**
 * An input whose text is its own while focused: values that are parsed on the way in (lists with
 * commas, numbers, YAML) would otherwise be reformatted under the cursor as people type.
 */
export function DraftInput({
  value,
  onCommit,
  multiline,
  onBlur,
  ...rest
}: {
  value: string;
  onCommit: (text: string) => void;
  multiline?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement> & TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'>) {
  const [draft, setDraft] = useState(value);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setDraft(value);
  }, [value]);
  const common = {
    ...rest,
    value: draft,
    onFocus: () => {
      focused.current = true;
    },
    onBlur: (event: React.FocusEvent<HTMLInputElement & HTMLTextAreaElement>) => {
      focused.current = false;
      onBlur?.(event);
      setDraft(value);
    },
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      setDraft(event.target.value);
      onCommit(event.target.value);
    },
  };
  if (multiline) return <textarea {...(common as TextareaHTMLAttributes<HTMLTextAreaElement>)} />;
  return <input {...(common as InputHTMLAttributes<HTMLInputElement>)} />;
}
