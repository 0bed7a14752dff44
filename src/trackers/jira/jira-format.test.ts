import { describe, expect, it } from 'vitest';
import { markdownToJiraAdf, markdownToJiraWiki, plainTextOf } from './jira-format.js';

describe('markdownToJiraWiki (Data Center)', () => {
  it('writes headings, emphasis, code, links, lists, task lists and tables as wiki markup', () => {
    const wiki = markdownToJiraWiki(
      '# INC-42: lag\n\n**Severity:** high · _note_ `x{y}`\n\n[The incident](https://s.example/#/incidents/1)\n\n- one\n  - nested\n- [ ] todo\n\n1. first\n\n| a | b |\n| --- | --- |\n| 1 | |\n\n```sh\nmysql -e "show slave status"\n```\n\n---',
    );
    expect(wiki).toContain('h1. INC\\-42: lag');
    expect(wiki).toContain('*Severity:* high · _note_ {{x\\{y\\}}}');
    expect(wiki).toContain('[The incident|https://s.example/#/incidents/1]');
    expect(wiki).toContain('* one\n** nested');
    expect(wiki).toContain('* (?) todo');
    expect(wiki).toContain('# first');
    expect(wiki).toContain('||a||b||\n|1| |');
    expect(wiki).toContain('{code:sh}\nmysql -e "show slave status"\n{code}');
    expect(wiki).toContain('----');
  });

  it('keeps hostile text literal: markup characters escaped, entities decoded once, HTML dropped', () => {
    const wiki = markdownToJiraWiki('a \\*b\\* &lt;script&gt; {noformat} [x|javascript:alert(1)] <details>hidden</details>');
    expect(wiki).toContain('\\*b\\*');
    expect(wiki).toContain('<script>');
    expect(wiki).toContain('\\{noformat\\}');
    expect(wiki).toContain('\\[x\\|javascript:alert(1)\\]');
    expect(wiki).not.toContain('<details>');
  });
});

describe('markdownToJiraAdf (Cloud)', () => {
  it('decodes the entities the report escapes for GitHub, except in code', () => {
    const doc = markdownToJiraAdf('a &lt;b&gt; &amp;amp;\n\n```\n&lt;kept&gt;\n```');
    expect(plainTextOf(doc)).toBe('a <b> &amp;&lt;kept&gt;');
  });

  it('never writes an empty text node or an empty cell', () => {
    const doc = markdownToJiraAdf('| | |\n| --- | --- |\n| a | |');
    const json = JSON.stringify(doc);
    expect(json).not.toContain('"text":""');
    expect(json).not.toMatch(/"type":"table(Header|Cell)","content":\[\]/);
  });
});
