import { describe, expect, it } from 'vitest';
import { splitReport } from './split-report.js';
import { carryOverSections } from './carry-over.js';
import { unwrapPart, wrapPart } from './report-parts.js';

const section = (name: string, lines: number, width = 50) => [`## ${name}`, '', ...Array.from({ length: lines }, (_, i) => `${name} line ${i} ${'x'.repeat(width)}`)].join('\n');

describe('splitReport', () => {
  it('leaves a report under the limit whole', () => {
    expect(splitReport('# small\n\ntext', { maxChars: 65_536 })).toEqual(['# small\n\ntext']);
  });

  it('keeps each piece under the limit and every line, in order', () => {
    const report = ['# Title', section('A', 300), section('B', 2000), section('C', 10)].join('\n');
    const pieces = splitReport(report, { maxChars: 20_000 });
    expect(pieces.length).toBeGreaterThan(4);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(19_000);
    expect(pieces.join('\n')).toBe(report);
  });

  it('starts a new piece at a section heading when the section fits there whole', () => {
    const report = [section('A', 100), section('B', 100), section('C', 100)].join('\n');
    const pieces = splitReport(report, { maxChars: 12_000 });
    expect(pieces.map((p) => p.split('\n')[0])).toEqual(['## A', '## B', '## C']);
  });

  it('closes a code fence cut in two and reopens it in the next piece', () => {
    const code = Array.from({ length: 400 }, (_, i) => `  echo ${i} ${'y'.repeat(40)}`).join('\n');
    const report = `## Commands\n\n- run:\n\n  \`\`\`\`sh\n${code}\n  \`\`\`\`\n\nafter`;
    const pieces = splitReport(report, { maxChars: 6_000 });
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) expect((piece.match(/^ {2}````/gm) ?? []).length % 2, piece.slice(0, 80)).toBe(0);
    expect(pieces[1].startsWith('  ````sh\n')).toBe(true);
    const kept = pieces.join('\n').split('\n');
    for (const line of report.split('\n')) expect(kept).toContain(line);
  });

  it('ignores headings inside code fences', () => {
    const report = ['## Real', '```', ...Array.from({ length: 300 }, () => '## fake heading in code'), '```', section('Next', 50)].join('\n');
    const pieces = splitReport(report, { maxChars: 6_000 });
    expect(pieces.slice(1).every((p) => p.startsWith('```') || p.startsWith('## Next'))).toBe(true);
  });

  it('cuts a line longer than a piece without splitting a surrogate pair', () => {
    const line = '🔥'.repeat(30_000);
    const pieces = splitReport(`## Big\n${line}\nend`, { maxChars: 10_000 });
    expect(pieces.length).toBeGreaterThan(6);
    expect(pieces.join('').replace(/\n/g, '')).toBe(`## Big${line}end`);
    for (const piece of pieces) expect(piece).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('refuses a limit with no room for content', () => {
    expect(() => splitReport('x', { maxChars: 1000 })).toThrow();
  });
});

describe('report parts', () => {
  it('reads back what it wrote, for any incident id', () => {
    for (const id of ['inc_1', 'a b -->', '💥/..\\', '']) {
      for (const [k, n] of [
        [0, 1],
        [0, 3],
        [2, 3],
      ]) {
        expect(unwrapPart(wrapPart(id, k, n, 'line 1\nline 2'))).toEqual({ incidentId: id, part: k, content: 'line 1\nline 2' });
      }
    }
    expect(unwrapPart('no marker here')).toBeUndefined();
    expect(unwrapPart('<!-- sidekick:incident=%E0%A4%A part=0 -->\nx')).toBeUndefined();
    expect(unwrapPart(null)).toBeUndefined();
  });
});

describe('carryOverSections', () => {
  const fresh = '# R\n\n## Summary\n\n<!-- write here -->\n\n## Timeline\n\n- new entry\n\n## Action items\n\n- [ ] \n';
  it('keeps edited Summary and Action items, takes everything else fresh', () => {
    const previous = '# R\n\n## Summary\n\nIt was the tunnel.\n\n## Timeline\n\n- old entry\n\n## Action items\n\n- [x] fix tunnel\n';
    const merged = carryOverSections(previous, fresh);
    expect(merged).toContain('It was the tunnel.');
    expect(merged).toContain('- [x] fix tunnel');
    expect(merged).toContain('- new entry');
    expect(merged).not.toContain('- old entry');
    expect(merged).not.toContain('write here');
  });

  it('changes nothing when nobody edited, or the sections are gone', () => {
    expect(carryOverSections(fresh, fresh)).toBe(fresh);
    expect(carryOverSections('# something else entirely', fresh)).toBe(fresh);
  });

  it('is not fooled by headings inside code', () => {
    const previous = '## Timeline\n\n```\n## Summary\nfake\n```\n';
    expect(carryOverSections(previous, fresh)).toBe(fresh);
  });
});
