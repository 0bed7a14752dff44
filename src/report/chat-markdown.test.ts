import { describe, expect, it } from 'vitest';
import { Lexer } from 'marked';
import { chatToMarkdown } from './chat-markdown.js';

describe('chatToMarkdown', () => {
  it('keeps the formatting people saw, without leaking escapes', () => {
    expect(chatToMarkdown('Severity *high* on `db-7`, _maybe_ ~not~ now').markdown).toBe('Severity **high** on `db-7`, _maybe_ ~~not~~ now');
    expect(chatToMarkdown('2*3*4 and snake_case_name stay as written').markdown).toBe('2\\*3\\*4 and snake\\_case\\_name stay as written');
  });

  it('escapes everything else: no headings, links, HTML or mentions from chat', () => {
    const md = chatToMarkdown('# not a heading\n<script>alert(1)</script> [x](javascript:alert(1)) @channel *<b>bold</b>*').markdown;
    const tokens = Lexer.lex(md);
    expect(tokens.map((t) => t.type)).toEqual(['paragraph']);
    expect(md).not.toContain('<script>');
    expect(md).toContain('**&lt;b&gt;bold&lt;/b&gt;**');
    expect(md).toContain('@\u200bchannel');
  });

  it('turns code blocks into fences nothing inside can close, indented under a list item', () => {
    const md = chatToMarkdown('look:\n```\nrm -rf / `` *x*\n# second\n```\ndone', 2).markdown;
    expect(md).toBe('look:\n\n  ```\n  rm -rf / `` *x*\n  # second\n  ```\n\n  done');
    const list = Lexer.lex(`- ${md}`);
    expect(list).toHaveLength(1);
    expect(list[0]!.type).toBe('list');
  });
});
