import { markdownToAdf } from 'marklassian';
import { marked, type Token, type Tokens } from 'marked';

/** A node of the Atlassian Document Format (Jira Cloud's rich text). */
export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/**
 * The report's Markdown as an ADF document (Jira Cloud, REST v3). The report escapes `<`, `>` and
 * `&` as HTML entities for GitHub; ADF text is literal, so they are decoded once outside code.
 * Empty text nodes are invalid ADF (Jira answers 400 "unsupported content"), so they are dropped.
 */
export function markdownToJiraAdf(markdown: string): AdfDocument {
  const doc = markdownToAdf(markdown) as AdfDocument;
  return { type: 'doc', version: 1, content: clean(doc.content, false) };
}

const NEEDS_BLOCK = new Set(['tableHeader', 'tableCell', 'listItem', 'blockquote']);

function clean(nodes: AdfNode[], inCode: boolean): AdfNode[] {
  const out: AdfNode[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      const code = inCode || (node.marks ?? []).some((m) => m.type === 'code');
      const text = code ? (node.text ?? '') : decodeEntities(node.text ?? '');
      if (text) out.push({ ...node, text });
      continue;
    }
    const copy = { ...node };
    if (node.content) copy.content = clean(node.content, inCode || node.type === 'codeBlock');
    // Cells, list items and quotes must hold a block (an empty table header `| |` holds none).
    if (NEEDS_BLOCK.has(node.type) && !copy.content?.length) copy.content = [{ type: 'paragraph', content: [] }];
    out.push(copy);
  }
  return out;
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name] ?? _);
}

/** All the text of an ADF document (or a wiki string), for finding our markers again. */
export function plainTextOf(body: unknown): string {
  if (typeof body === 'string') return body;
  const parts: string[] = [];
  const walk = (node: AdfNode) => {
    if (typeof node?.text === 'string') parts.push(node.text);
    for (const child of node?.content ?? []) walk(child);
  };
  if (body && typeof body === 'object') walk(body as AdfNode);
  return parts.join('');
}

/**
 * The report's Markdown as Jira wiki markup (Data Center, REST v2): headings `h2.`, `*bold*`,
 * `{code}`, `[title|url]`, tables `||head||` and lists. Text that would read as markup is escaped
 * with a backslash, as Jira's renderer expects.
 */
export function markdownToJiraWiki(markdown: string): string {
  return blocks(marked.lexer(markdown)).trim() + '\n';
}

function blocks(tokens: Token[], depth = 0): string {
  const out: string[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'heading':
        out.push(`h${(token as Tokens.Heading).depth}. ${inline((token as Tokens.Heading).tokens)}`);
        break;
      case 'paragraph':
        out.push(inline((token as Tokens.Paragraph).tokens));
        break;
      case 'code': {
        const code = token as Tokens.Code;
        out.push(`{code${code.lang ? `:${code.lang.replace(/[^\w+-]/g, '')}` : ''}}\n${code.text.replace(/\{code/g, '\\{code')}\n{code}`);
        break;
      }
      case 'list': {
        const list = token as Tokens.List;
        const bullet = (list.ordered ? '#' : '*').repeat(depth + 1);
        const lines: string[] = [];
        for (const item of list.items) {
          const box = item.task ? (item.checked ? '(/) ' : '(?) ') : '';
          const [first, ...rest] = item.tokens;
          const head = first && first.type === 'text' ? inline((first as Tokens.Text).tokens ?? [first]) : first ? blocks([first], depth + 1) : '';
          lines.push(`${bullet} ${box}${head}`.trimEnd());
          const nested = rest.filter((t) => t.type !== 'space');
          if (nested.length) lines.push(blocks(nested, depth + 1));
        }
        out.push(lines.join('\n'));
        break;
      }
      case 'table': {
        const table = token as Tokens.Table;
        const rows = [`||${table.header.map((c) => inline(c.tokens) || ' ').join('||')}||`, ...table.rows.map((row) => `|${row.map((c) => inline(c.tokens) || ' ').join('|')}|`)];
        out.push(rows.join('\n'));
        break;
      }
      case 'blockquote':
        out.push(`{quote}\n${blocks((token as Tokens.Blockquote).tokens, depth)}\n{quote}`);
        break;
      case 'hr':
        out.push('----');
        break;
      case 'text':
        out.push(inline((token as Tokens.Text).tokens ?? [token]));
        break;
      case 'html':
      case 'space':
        break;
      default:
        out.push(escapeWiki((token as { raw?: string }).raw ?? ''));
    }
  }
  return out.filter((b) => b !== '').join(depth > 0 ? '\n' : '\n\n');
}

function inline(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) => {
      switch (token.type) {
        case 'strong':
          return `*${inline((token as Tokens.Strong).tokens)}*`;
        case 'em':
          return `_${inline((token as Tokens.Em).tokens)}_`;
        case 'del':
          return `-${inline((token as Tokens.Del).tokens)}-`;
        case 'codespan':
          return `{{${decodeEntities((token as Tokens.Codespan).text).replace(/[{}]/g, '\\$&')}}}`;
        case 'link': {
          const link = token as Tokens.Link;
          return `[${inline(link.tokens).replace(/[|\]]/g, ' ')}|${link.href.replace(/[|\]\s]/g, encodeURIComponent)}]`;
        }
        case 'image':
          return `!${(token as Tokens.Image).href.replace(/[|!\s]/g, encodeURIComponent)}!`;
        case 'br':
          return '\\\\\n';
        case 'escape':
          return escapeWiki((token as Tokens.Escape).text);
        case 'html':
          return '';
        case 'text':
          return 'tokens' in token && token.tokens ? inline(token.tokens) : escapeWiki(decodeEntities((token as Tokens.Text).text));
        default:
          return escapeWiki((token as { raw?: string }).raw ?? '');
      }
    })
    .join('');
}

/** Characters Jira's wiki renderer reads as markup, escaped with a backslash. */
function escapeWiki(text: string): string {
  return text.replace(/[*_{}[\]|!^~+\-#\\]/g, (c) => `\\${c}`);
}
