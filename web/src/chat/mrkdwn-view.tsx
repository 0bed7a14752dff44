import { Fragment, useMemo, type ReactNode } from 'react';
import { parseMrkdwn, type MrkdwnNode } from './mrkdwn.js';

/** Renders chat mrkdwn as React elements (never as HTML strings). */
export function Mrkdwn({ text }: { text: string }) {
  const nodes = useMemo(() => parseMrkdwn(text), [text]);
  return <>{renderNodes(nodes)}</>;
}

function renderNodes(nodes: MrkdwnNode[]): ReactNode[] {
  return nodes.map((node, index) => {
    switch (node.kind) {
      case 'text':
        return <Fragment key={index}>{node.text}</Fragment>;
      case 'bold':
        return <strong key={index}>{renderNodes(node.children)}</strong>;
      case 'italic':
        return <em key={index}>{renderNodes(node.children)}</em>;
      case 'strike':
        return <s key={index}>{renderNodes(node.children)}</s>;
      case 'code':
        return <code key={index}>{node.text}</code>;
      case 'pre':
        return (
          <pre key={index} className="mrkdwn-pre">
            {node.text}
          </pre>
        );
      case 'link':
        return (
          <a key={index} href={node.url} target="_blank" rel="noopener noreferrer nofollow">
            {node.label}
          </a>
        );
      case 'mention':
        return (
          <span key={index} className="mention">
            {node.text}
          </span>
        );
      case 'break':
        return <br key={index} />;
    }
  });
}
