/**
 * Renders the report's Markdown from marked's tokens into React elements. Raw HTML in the report is
 * shown as text: the report quotes chat messages and alert fields, which people and monitors wrote.
 */
import { Fragment, useMemo, type ReactNode } from 'react';
import { Lexer, type Token, type Tokens } from 'marked';
import { safeUrl } from '../chat/mrkdwn.js';

/** The incident report, rendered safely. */
export function ReportView({ markdown }: { markdown: string }) {
  const tokens = useMemo(() => Lexer.lex(markdown), [markdown]);
  return <article className="report-body">{renderTokens(tokens)}</article>;
}

/** Links and images may point to http(s) or to Sidekick itself; images may also be inline raster data. */
function safeHref(href: string): string | undefined {
  if (href.startsWith('/') && !href.startsWith('//')) return href;
  return safeUrl(href);
}

function safeImageSource(src: string): string | undefined {
  if (/^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+$/i.test(src)) return src;
  return safeHref(src);
}

const DETAILS_OPEN = /^\s*<details>\s*<summary>([\s\S]*?)<\/summary>\s*$/i;
const DETAILS_CLOSE = /^\s*<\/details>\s*$/i;

/**
 * Tokens in order, with `<details><summary>…</summary>` … `</details>` (the report's collapsed
 * sections, which GitHub renders) turned into a real disclosure. Any other HTML stays text.
 */
function renderTokens(tokens: Token[] | undefined): ReactNode[] {
  const list = tokens ?? [];
  const out: ReactNode[] = [];
  for (let index = 0; index < list.length; index++) {
    const token = list[index]!;
    const open = token.type === 'html' ? DETAILS_OPEN.exec((token as Tokens.HTML).text) : null;
    const close = open ? list.findIndex((later, at) => at > index && later.type === 'html' && DETAILS_CLOSE.test((later as Tokens.HTML).text)) : -1;
    if (open && close > index) {
      out.push(
        <details key={index}>
          <summary>{decodeEntities(open[1]!.trim())}</summary>
          {renderTokens(list.slice(index + 1, close))}
        </details>,
      );
      index = close;
      continue;
    }
    out.push(<Fragment key={index}>{renderToken(token)}</Fragment>);
  }
  return out;
}

/** The summary is HTML text: its entities read as the characters they stand for (React escapes them again). */
function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function renderToken(token: Token): ReactNode {
  switch (token.type) {
    case 'heading': {
      const level = Math.min(6, Math.max(2, (token as Tokens.Heading).depth + 1));
      const Tag = `h${level}` as 'h2';
      return <Tag>{renderTokens((token as Tokens.Heading).tokens)}</Tag>;
    }
    case 'paragraph':
      return <p>{renderTokens((token as Tokens.Paragraph).tokens)}</p>;
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? renderTokens(text.tokens) : text.text;
    }
    case 'strong':
      return <strong>{renderTokens((token as Tokens.Strong).tokens)}</strong>;
    case 'em':
      return <em>{renderTokens((token as Tokens.Em).tokens)}</em>;
    case 'del':
      return <s>{renderTokens((token as Tokens.Del).tokens)}</s>;
    case 'codespan':
      return <code>{(token as Tokens.Codespan).text}</code>;
    case 'code':
      return (
        <pre>
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      );
    case 'blockquote':
      return <blockquote>{renderTokens((token as Tokens.Blockquote).tokens)}</blockquote>;
    case 'list': {
      const list = token as Tokens.List;
      const items = list.items.map((item, index) => (
        <li key={index}>
          {item.task && <input type="checkbox" checked={Boolean(item.checked)} readOnly disabled />}
          {renderTokens(item.tokens)}
        </li>
      ));
      return list.ordered ? <ol start={typeof list.start === 'number' ? list.start : undefined}>{items}</ol> : <ul>{items}</ul>;
    }
    case 'table': {
      const table = token as Tokens.Table;
      return (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                {table.header.map((cell, index) => (
                  <th key={index} scope="col">
                    {renderTokens(cell.tokens)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, index) => (
                    <td key={index}>{renderTokens(cell.tokens)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    case 'link': {
      const link = token as Tokens.Link;
      const href = safeHref(link.href);
      const label = renderTokens(link.tokens);
      return href ? (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow">
          {label}
        </a>
      ) : (
        label
      );
    }
    case 'image': {
      const image = token as Tokens.Image;
      const src = safeImageSource(image.href);
      return src ? <img src={src} alt={image.text} loading="lazy" referrerPolicy="no-referrer" /> : `[${image.text}]`;
    }
    case 'br':
      return <br />;
    case 'hr':
      return <hr />;
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'space':
      return null;
    case 'html': {
      const html = (token as Tokens.HTML).text;
      // Comments are notes to the report's author (GitHub hides them too); other HTML is shown as text.
      if (/^\s*<!--[\s\S]*-->\s*$/.test(html)) return null;
      return <code className="raw-html">{html}</code>;
    }
    default:
      return 'raw' in token ? String(token.raw) : null;
  }
}
