import { describe, expect, it } from 'vitest';
import { decodeEntities, parseMrkdwn, plainTextOf, safeUrl, MRKDWN_MAX_CHARS, type MrkdwnNode } from '../../web/src/chat/mrkdwn.js';

const kinds = (nodes: MrkdwnNode[]) => nodes.map((node) => node.kind);

describe('parseMrkdwn', () => {
  it('reads bold, italic, strike and code', () => {
    const nodes = parseMrkdwn('*lag* on _db-7_ is ~fine~ `rising`');
    expect(nodes).toEqual([
      { kind: 'bold', children: [{ kind: 'text', text: 'lag' }] },
      { kind: 'text', text: ' on ' },
      { kind: 'italic', children: [{ kind: 'text', text: 'db-7' }] },
      { kind: 'text', text: ' is ' },
      { kind: 'strike', children: [{ kind: 'text', text: 'fine' }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'rising' },
    ]);
  });

  it('leaves snake_case and lone markers alone', () => {
    expect(plainTextOf(parseMrkdwn('db_host_7 and 2 * 3 * 4'))).toBe('db_host_7 and 2 * 3 * 4');
    expect(kinds(parseMrkdwn('db_host_7 and 2 * 3 * 4'))).toEqual(['text']);
    expect(kinds(parseMrkdwn('**'))).toEqual(['text']);
  });

  it('makes links only of http(s) URLs', () => {
    expect(parseMrkdwn('<https://example.com/a?b=1&amp;c=2|the graph>')).toEqual([{ kind: 'link', url: 'https://example.com/a?b=1&c=2', label: 'the graph' }]);
    for (const hostile of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,&lt;b&gt;x', 'vbscript:x', '//evil.example', ' javascript:x']) {
      const nodes = parseMrkdwn(`<${hostile}|click me>`);
      expect(
        nodes.every((node) => node.kind !== 'link'),
        hostile,
      ).toBe(true);
      expect(plainTextOf(nodes)).toBe('click me');
    }
    expect(safeUrl('https://x.example/"onmouseover="alert(1)')).toBe('https://x.example/%22onmouseover=%22alert(1)');
  });

  it('decodes Slack escaping exactly once, so escaped markup stays text', () => {
    const nodes = parseMrkdwn('&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&amp;gt;');
    expect(nodes).toEqual([{ kind: 'text', text: '<script>alert(1)</script> &lt;b&gt;' }]);
    expect(decodeEntities('&amp;amp;')).toBe('&amp;');
  });

  it('reads mentions and special commands as plain mentions', () => {
    expect(parseMrkdwn('<@U123|alice> <#C1|db-team> <!here>')).toEqual([
      { kind: 'mention', text: '@alice' },
      { kind: 'text', text: ' ' },
      { kind: 'mention', text: '#db-team' },
      { kind: 'text', text: ' ' },
      { kind: 'mention', text: '@here' },
    ]);
  });

  it('links bare URLs but not their trailing punctuation', () => {
    const nodes = parseMrkdwn('see https://status.example.com/x.');
    expect(nodes).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', url: 'https://status.example.com/x', label: 'https://status.example.com/x' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps code fences and line breaks', () => {
    const nodes = parseMrkdwn("run:\n```mysql -h 'db-7'\nSHOW SLAVE STATUS```\ndone");
    expect(kinds(nodes)).toEqual(['text', 'break', 'pre', 'break', 'text']);
    expect(nodes[2]).toEqual({ kind: 'pre', text: "mysql -h 'db-7'\nSHOW SLAVE STATUS" });
  });

  it('does not format across lines', () => {
    expect(kinds(parseMrkdwn('*start\nend*'))).toEqual(['text', 'break', 'text']);
  });

  it('stays fast and bounded on hostile input', () => {
    const many = '*_~`<'.repeat(20_000);
    const nodes = parseMrkdwn(many);
    expect(plainTextOf(nodes).length).toBeLessThanOrEqual(MRKDWN_MAX_CHARS + 1);
    const nested = parseMrkdwn('*_~deep~_*');
    expect(nested[0]!.kind).toBe('bold');
    expect(plainTextOf(parseMrkdwn('{{ alert.raw.host }} $(rm -rf /) `; ls`'))).toBe('{{ alert.raw.host }} $(rm -rf /) ; ls');
  });
});
