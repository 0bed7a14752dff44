import { describe, expect, it } from 'vitest';
import type { ChatBlock } from '../chat.js';
import { BLOCK_KIT_LIMITS, translateToBlockKit, type SlackBlock, type SlackMessagePart } from './block-kit.js';
import { escapeSlackText, splitMrkdwn, splitSlackText } from './slack-text.js';

/** Checks every limit Slack enforces on one message; returns the problems found. */
function problemsOf(part: SlackMessagePart): string[] {
  const problems: string[] = [];
  if (part.text.length > BLOCK_KIT_LIMITS.fallbackText) problems.push('text');
  const blocks = part.blocks ?? [];
  if (blocks.length > 50) problems.push(`blocks ${blocks.length}`);
  for (const block of blocks) {
    if (block.type === 'section' && (block.text.text.length > 3000 || !/\S/.test(block.text.text))) problems.push('section');
    if (block.type === 'header' && block.text.text.length > 150) problems.push('header');
    if (block.type === 'context' && (block.elements.length > 10 || block.elements.some((e) => e.text.length > 3000))) problems.push('context');
    if (block.type === 'actions') {
      if (block.elements.length > 25) problems.push('actions');
      if (new Set(block.elements.map((e) => e.action_id)).size !== block.elements.length) problems.push('action_id');
      for (const button of block.elements) {
        if (button.text.text.length > 75) problems.push('label');
        if ((button.value ?? '').length > 2000) problems.push('value');
      }
    }
  }
  return problems;
}

function sectionTexts(parts: SlackMessagePart[]): string[] {
  return parts.flatMap((p) => p.blocks ?? []).flatMap((b: SlackBlock) => (b.type === 'section' ? [b.text.text] : []));
}

describe('translateToBlockKit', () => {
  it('translates each neutral block into its Block Kit form', () => {
    const [part, ...more] = translateToBlockKit({
      text: 'Replication lag on db-7',
      blocks: [
        { type: 'header', text: 'MySQL replication' },
        { type: 'text', text: 'Lag is *rising* &amp; so is load' },
        { type: 'code', text: "mysql -h 'db-7' -e 'SHOW REPLICA STATUS\\G' | grep -E 'Lag|<x>'" },
        { type: 'buttons', buttons: [{ label: 'Lag rising?', value: 'v1', style: 'primary' }] },
        { type: 'context', text: 'step 1 of 3' },
        { type: 'link', label: 'Dashboard', url: 'https://grafana.example.com/d/x?a=1&b=2' },
        { type: 'divider' },
      ],
    });
    expect(more).toEqual([]);
    expect(part.text).toBe('Replication lag on db-7');
    expect(part.blocks!.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions', 'context', 'section', 'divider']);
    // Template output is already escaped: not escaped again.
    expect(part.blocks![1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Lag is *rising* &amp; so is load' } });
    // Commands are raw: we escape them ourselves, inside a fence.
    expect((part.blocks![2] as { text: { text: string } }).text.text).toBe("```\nmysql -h 'db-7' -e 'SHOW REPLICA STATUS\\G' | grep -E 'Lag|&lt;x&gt;'\n```");
    expect(part.blocks![3]).toMatchObject({ elements: [{ type: 'button', value: 'v1', style: 'primary', text: { text: 'Lag rising?' } }] });
    expect((part.blocks![5] as { text: { text: string } }).text.text).toBe('<https://grafana.example.com/d/x?a=1&amp;b=2|Dashboard>');
  });

  it('cannot be turned into mentions or fake links by hostile command or link values', () => {
    const [part] = translateToBlockKit({
      text: 'x',
      blocks: [
        { type: 'code', text: 'echo <!channel> ``` <https://evil|click>', sources: [{ path: 'alert.raw.host', value: '<!here>`' }] },
        { type: 'link', label: 'ok> <!channel', url: 'javascript:alert(1)' },
      ],
    });
    const all = JSON.stringify(part.blocks);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<!here>');
    expect(all).not.toContain('javascript:');
    const code = (part.blocks![0] as { text: { text: string } }).text.text;
    expect(code.match(/```/g)).toHaveLength(2); // the fence is not closed early by the value
  });

  it('splits a huge page over many sections and messages and loses nothing', () => {
    const paragraph = 'Check the tunnel between sites &amp; the query volume; lag > 30s means <https://x.example/runbook|the runbook>. ';
    const longText = paragraph.repeat(2000) + '🚀'.repeat(3000); // ~230k characters, surrogate pairs at the end
    const blocks: ChatBlock[] = [
      { type: 'header', text: 'H'.repeat(400) },
      { type: 'text', text: longText },
      { type: 'code', text: Array.from({ length: 3000 }, (_, i) => `echo line ${i} && true`).join('\n') },
      { type: 'buttons', buttons: Array.from({ length: 60 }, (_, i) => ({ label: `Choice ${i} `.repeat(20), value: `v${i}` })) },
      ...Array.from({ length: 120 }, (_, i): ChatBlock => ({ type: 'context', text: `note ${i}` })),
    ];
    const parts = translateToBlockKit({ text: 'P'.repeat(50_000), blocks });
    expect(parts.length).toBeGreaterThan(10);
    for (const part of parts) expect(problemsOf(part)).toEqual([]);
    const sections = sectionTexts(parts).join('');
    // Every character of the long text arrives (whitespace at cuts aside), including the emoji.
    expect(sections.replace(/\s+/g, '')).toContain(longText.replace(/\s+/g, ''));
    expect(sections).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no lone high surrogate
    const buttons = parts.flatMap((p) => p.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => b.value)).toEqual(Array.from({ length: 60 }, (_, i) => `v${i}`));
    expect(parts.flatMap((p) => p.blocks ?? []).filter((b) => b.type === 'actions')).toHaveLength(3);
    // A message never ends with a header when more follows.
    for (const part of parts.slice(0, -1)) expect(part.blocks!.at(-1)!.type).not.toBe('header');
  });

  it('turns an overlong plain message into sections instead of letting Slack truncate it', () => {
    const text = 'word '.repeat(20_000);
    const parts = translateToBlockKit({ text });
    for (const part of parts) expect(problemsOf(part)).toEqual([]);
    expect(sectionTexts(parts).join('').length).toBe(text.length);
    expect(translateToBlockKit({ text: 'short' })).toEqual([{ text: 'short' }]);
    expect(translateToBlockKit({ text: '' })).toEqual([{ text: ' ' }]);
  });

  it('shortens long button values through the given shortener and refuses without one', () => {
    const value = 'x'.repeat(2500);
    const [part] = translateToBlockKit({ text: 't', blocks: [{ type: 'buttons', buttons: [{ label: 'Go', value }] }] }, { shortenButtonValue: (v) => `ref:${v.length}` });
    expect(part.blocks![0]).toMatchObject({ elements: [{ value: 'ref:2500' }] });
    expect(() => translateToBlockKit({ text: 't', blocks: [{ type: 'buttons', buttons: [{ label: 'Go', value }] }] })).toThrow(RangeError);
  });

  it('ignores unknown and empty blocks rather than sending invalid ones', () => {
    const parts = translateToBlockKit({
      text: 'fallback',
      blocks: [{ type: 'text', text: '   ' }, { type: 'header', text: '' }, { type: 'nope' } as unknown as ChatBlock, { type: 'context', text: '\n' }],
    });
    expect(parts).toEqual([{ text: 'fallback' }]);
  });
});

describe('slack text helpers', () => {
  it('escapes only what is not escaped yet', () => {
    expect(escapeSlackText('a & b <c> &amp; &lt;')).toBe('a &amp; b &lt;c&gt; &amp; &lt;');
    expect(escapeSlackText(escapeSlackText('<!channel> & co'))).toBe('&lt;!channel&gt; &amp; co');
  });

  it('never cuts inside an entity, a link or a surrogate pair', () => {
    for (let max = 8; max < 40; max++) {
      const text = 'ab &amp; <https://x.y/z|label> 😀😀 &lt;&gt;'.repeat(5);
      const chunks = splitSlackText(text, max);
      expect(chunks.join('')).toBe(text);
      for (const chunk of chunks) {
        expect(chunk.length).toBeLessThanOrEqual(max);
        expect(chunk).not.toMatch(/&(?:a|am|amp|l|lt|g|gt)$/);
        expect(chunk).not.toMatch(/[\ud800-\udbff]$/);
      }
    }
  });

  it('closes and reopens a code fence cut in two', () => {
    const text = 'intro\n```\n' + 'select 1;\n'.repeat(50) + '```\noutro';
    const chunks = splitMrkdwn(text, 100);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(100);
      expect((chunk.match(/```/g) ?? []).length % 2).toBe(0);
    }
  });
});
