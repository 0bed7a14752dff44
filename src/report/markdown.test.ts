import { describe, expect, it } from 'vitest';
import { marked, type Token } from 'marked';
import { escapeInline, escapeMarkdown, fenceCode, indentMarkdown, inlineCode, markdownImage, markdownLink, safeUrl } from './markdown.js';

const HOSTILE = [
  '```\nrm -rf /\n```',
  '~~~\nfenced with tildes\n~~~',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<!-- sidekick:incident=x part=0 -->',
  '# heading\n## another\n===\n---',
  '> quote\n- list\n+ plus\n* star\n1. one\n2) two',
  '[click](javascript:alert(1)) ![img](https://evil.example/p.png) <https://autolink.example>',
  '*bold* _em_ **strong** ~~del~~ `code` | table | cell |',
  '\\` escaped backtick \\\\ double',
  '&lt;already escaped&gt; &#60;script&#62; &amp;',
  '    four-space indented code',
  '\u202eevil\u202c bidi and \u0000 nul \u0007 bell',
  '{{ incident.title }} {% raw %} $(id) `id`',
];

/** Every token kind found in rendered Markdown, recursively. */
function kinds(markdown: string): Set<string> {
  const found = new Set<string>();
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      found.add(token.type);
      const t = token as Token & { tokens?: Token[]; items?: Token[] };
      if (t.tokens) walk(t.tokens);
      if (t.items) walk(t.items);
    }
  };
  walk(marked.lexer(markdown));
  return found;
}

// Bare http(s) URLs may become links (GitHub autolinks them too); nothing else may.
const FORBIDDEN = ['html', 'image', 'codespan', 'em', 'strong', 'del', 'heading', 'list', 'blockquote', 'code', 'table', 'hr'];

describe('escapeMarkdown', () => {
  for (const text of HOSTILE) {
    it(`renders ${JSON.stringify(text.slice(0, 30))} as plain text`, () => {
      const found = kinds(escapeMarkdown(text));
      for (const kind of FORBIDDEN) expect(found.has(kind), `${kind} in ${escapeMarkdown(text)}`).toBe(false);
      const html = marked.parse(escapeMarkdown(text)) as string;
      expect(html).not.toMatch(/<(script|img|h\d|ul|ol|pre|table|blockquote|em|strong|del)/);
      for (const href of html.matchAll(/<a href="([^"]*)"/g)) expect(href[1]).toMatch(/^https:\/\/(evil|autolink)\.example/);
    });
  }

  it('shows the text as written', () => {
    const html = marked.parse(escapeMarkdown('a *b* <c> [d](e) `f`')) as string;
    expect(html).toBe('<p>a *b* &lt;c&gt; [d](e) `f`</p>\n');
  });

  it('defuses @mentions with a zero-width space, and drops invisible characters', () => {
    expect(escapeMarkdown('@channel @octo-org/team mail@example.com')).toBe('@\u200bchannel @\u200bocto-org/team mail@\u200bexample.com');
    expect(escapeMarkdown('a\u202eb\u0000c\r\nd')).toBe('abc\nd');
  });

  it('escapeInline keeps everything on one line', () => {
    expect(escapeInline('a\n# b\r\nc')).toBe('a # b c');
  });
});

describe('fenceCode', () => {
  for (const text of [...HOSTILE, 'a ```` b\n``````', '']) {
    it(`keeps ${JSON.stringify(text.slice(0, 30))} inside one code block`, () => {
      const tokens = marked.lexer(fenceCode(text, 'sh').markdown).filter((t) => t.type !== 'space');
      expect(tokens).toHaveLength(1);
      expect(tokens[0].type).toBe('code');
      expect((tokens[0] as { text: string }).text).toBe(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ''));
    });
  }

  it('sanitises the language and indents every line for list items', () => {
    expect(fenceCode('x\ny', 'sh`; rm', 2).markdown).toBe('  ```shrm\n  x\n  y\n  ```');
    const list = marked.lexer(`- item:\n\n${fenceCode('```\nls\n```', 'sh', 2).markdown}\n- next`);
    expect(list).toHaveLength(1);
    expect((list[0] as { items: unknown[] }).items).toHaveLength(2);
  });
});

describe('inlineCode', () => {
  for (const text of ['plain', 'a ` b', '``double`` and `single`', '`starts', 'ends`', '<script>']) {
    it(`keeps ${JSON.stringify(text)} in one code span`, () => {
      const paragraph = marked.lexer(inlineCode(text).markdown)[0] as { tokens: Token[] };
      expect(paragraph.tokens).toHaveLength(1);
      expect(paragraph.tokens[0].type).toBe('codespan');
    });
  }
});

describe('indentMarkdown', () => {
  it('keeps a multi-line hostile message inside its list item', () => {
    const text = '# heading\n\n```\ncode\n```\n- not a new item';
    const tokens = marked.lexer(`- **04:00 alice**: ${indentMarkdown(text, 2).markdown}\n- **04:01 bob**: next`);
    expect(tokens.filter((t) => t.type !== 'space')).toHaveLength(1);
    expect((tokens[0] as { items: unknown[] }).items).toHaveLength(2);
  });
});

describe('links and images', () => {
  it('accepts only http(s) URLs and encodes what could end the link', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,x')).toBeUndefined();
    expect(safeUrl('https://x.example/a b(c)"d')).toBe('https://x.example/a%20b%28c%29%22d');
    expect(markdownLink('a](https://evil)', 'https://ok.example/').markdown).toBe('[a\\](https://evil)](https://ok.example/)');
    expect(markdownLink('title', 'javascript:alert(1)').markdown).toBe('title');
    expect(markdownImage('graph', 'https://p.example/a.png').markdown).toBe('![graph](https://p.example/a.png)');
  });

  it('renders to exactly one link', () => {
    const html = marked.parse(markdownLink('x <b>y</b> ](z)', 'https://ok.example/p?a=(1)').markdown) as string;
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).not.toContain('<b>');
  });
});
