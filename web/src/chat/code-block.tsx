import { useMemo, useState } from 'react';
import { copyText } from './copy-text.js';
import { markSources } from './sources.js';

/** A command to copy, with each interpolated value marked and its origin one hover (or focus) away. */
export function CodeBlock({ text, sources }: { text: string; sources?: { path: string; value: string }[] }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const segments = useMemo(() => markSources(text, sources), [text, sources]);
  const onCopy = async () => {
    setCopied((await copyText(text)) ? 'copied' : 'failed');
    window.setTimeout(() => setCopied('idle'), 1500);
  };
  return (
    <div className="code-block">
      <div className="code-toolbar">
        <button type="button" className="small" onClick={onCopy} aria-label="Copy command">
          {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}
        </button>
      </div>
      <pre>
        <code>
          {segments.map((segment, index) =>
            segment.path ? (
              <mark key={index} className="sourced" title={`from ${segment.path}`} data-path={segment.path}>
                {segment.text}
              </mark>
            ) : (
              <span key={index}>{segment.text}</span>
            ),
          )}
        </code>
      </pre>
      {sources && sources.length > 0 && (
        <details className="sources">
          <summary>Where the values came from</summary>
          <table>
            <tbody>
              {sources.map((source, index) => (
                <tr key={index}>
                  <td>
                    <code>{source.path}</code>
                  </td>
                  <td>{source.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}
