import { describe, expect, it } from 'vitest';
import type { Playbook, PlaybookProblem } from './playbook.js';
import { MAX_PLAYBOOK_CHARS, parsePlaybook } from './parse-playbook.js';
import { MAX_CHOICE_LABEL } from './finish-playbook.js';

/** Everything a parse result must satisfy whatever the input. */
function expectSound(markdown: string): { playbook?: Playbook; problems: PlaybookProblem[] } {
  const result = parsePlaybook(markdown, 'hostile.md', 'hostile');
  const lineCount = markdown.split(/\r\n?|\n/).length;
  for (const problem of result.problems) {
    expect(problem.code).toMatch(/^PLAYBOOK_[A-Z_]+$/);
    expect(problem.file).toBe('hostile.md');
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(lineCount);
    expect(problem.message.length).toBeLessThan(2_000);
  }
  const playbook = result.playbook;
  if (!playbook) {
    expect(result.problems.length).toBeGreaterThan(0);
    return result;
  }
  const ids = new Set(playbook.pages.map((page) => page.id));
  expect(ids.size).toBe(playbook.pages.length);
  expect(ids.has(playbook.startPage)).toBe(true);
  for (const page of playbook.pages) {
    expect(page.line).toBeGreaterThanOrEqual(1);
    for (const content of page.content) expect(content.line).toBeGreaterThanOrEqual(1);
    for (const choice of page.choices) {
      // Plain checks in the loop: thousands of `expect` calls would dominate the run time.
      if (!ids.has(choice.to)) expect.fail(`choice to missing page ${choice.to}`);
      const length = Array.from(choice.label).length;
      if (length === 0 || length > MAX_CHOICE_LABEL) expect.fail(`bad label ${JSON.stringify(choice.label)}`);
    }
  }
  return result;
}

/** A small deterministic generator, so a failing case can be replayed from its seed. */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const FRAGMENTS = [
  '# ',
  '## ',
  '### ',
  '{#',
  '}',
  '{#start}',
  '{#__proto__}',
  '{#constructor}',
  '[',
  ']',
  '(',
  ')',
  '(#',
  '](#',
  '- ',
  '* ',
  '1. ',
  '> ',
  '```',
  '~~~',
  '```sh\n',
  '    ',
  '\n',
  '\n\n',
  '\r\n',
  '\t',
  '|',
  '| --- |',
  '<!--',
  '-->',
  '<script>alert(1)</script>',
  '<details>',
  '{{ alert.labels.host }}',
  '{{',
  '}}',
  '{%',
  '%}',
  '$(reboot)',
  '`rm -rf /`',
  "'; DROP TABLE",
  '\\',
  '\u0000',
  '\uFEFF',
  '\u202E',
  'é',
  '🔥',
  '日本語',
  'x'.repeat(90),
  '%',
  '%zz',
  '[ ] ',
  '---',
  '===',
  '![img](#a)',
  '<#C123>',
  '<!channel>',
  '&amp;',
  '&#x0;',
];

describe('parsePlaybook with hostile Markdown', () => {
  it('survives thousands of random documents built from Markdown fragments', () => {
    const random = makeRandom(20260101);
    for (let round = 0; round < 2_000; round++) {
      const parts: string[] = [];
      const length = 1 + Math.floor(random() * 60);
      for (let i = 0; i < length; i++) parts.push(FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]);
      expectSound(parts.join(''));
    }
  });

  it('survives random characters, including control and lone surrogate code units', () => {
    const random = makeRandom(7);
    for (let round = 0; round < 300; round++) {
      const chars = Array.from({ length: Math.floor(random() * 400) }, () => String.fromCharCode(Math.floor(random() * 0xffff)));
      expectSound(chars.join(''));
    }
  });

  it('keeps HTML and script tags as text for the chat renderer to escape, never as pages or commands', () => {
    const { playbook } = expectSound('## A\n\n<script>fetch("https://evil")</script>\n\n<h2>Fake page</h2>\n');
    expect(playbook!.pages).toHaveLength(1);
    expect(playbook!.pages[0].content.every((content) => content.kind === 'text')).toBe(true);
  });

  it('keeps {{ everywhere as written: parsing never evaluates templates', () => {
    const markdown = '# {{ title }}\n\n## {{ page }} {#p}\n\n{{ x }} {% if %}\n\n```sh\n{{ alert.raw | raw }} {{\n```\n\n- [{{ label }}](#p)\n';
    const { playbook, problems } = expectSound(markdown);
    // The broken Liquid is reported where it is, and kept as written.
    expect(problems.map((problem) => [problem.code, problem.line])).toEqual([
      ['PLAYBOOK_BAD_TEMPLATE', 5],
      ['PLAYBOOK_BAD_TEMPLATE', 8],
    ]);
    expect(playbook!.title).toBe('{{ title }}');
    expect(playbook!.pages[0].title).toBe('{{ page }}');
    expect(playbook!.pages[0].content).toEqual([
      { kind: 'text', text: '{{ x }} {% if %}', line: 5 },
      { kind: 'command', template: '{{ alert.raw | raw }} {{', language: 'sh', line: 7 },
    ]);
    expect(playbook!.pages[0].choices[0].label).toBe('{{ label }}');
  });

  it('reads unicode, right-to-left and emoji headings', () => {
    const { playbook } = expectSound('## Réplication 🔥 日本語\n\nx\n\n## \u202Eevil\n\nx\n\n## שלום\n\n- [Back](#réplication--日本語)\n');
    expect(playbook!.pages.map((page) => page.id)).toEqual(['réplication--日本語', '\u202Eevil'.replace('\u202E', ''), 'שלום']);
  });

  it('takes ids that collide with object properties literally', () => {
    const { playbook, problems } = expectSound('## A {#__proto__}\n\n- [B](#constructor)\n\n## B {#constructor}\n\n- [A](#__proto__)\n');
    expect(problems).toEqual([]);
    expect(playbook!.pages.map((page) => page.id)).toEqual(['__proto__', 'constructor']);
  });

  it('reports an unclosed fence swallowing the rest of the document', () => {
    const { playbook, problems } = expectSound('## A\n\n```sh\nrm -rf /\n## B\n\n- [A](#a)\n');
    expect(problems.map((problem) => problem.code)).toEqual(['PLAYBOOK_UNCLOSED_FENCE']);
    expect(playbook!.pages[0].content).toEqual([{ kind: 'command', template: 'rm -rf /\n## B\n\n- [A](#a)', language: 'sh', line: 3 }]);
  });

  it('reads a large playbook of a thousand pages', () => {
    const pages = Array.from({ length: 1_000 }, (_, i) => `## Page ${i}\n\nStep ${i}.\n\n- [Next](#page-${(i + 1) % 1_000})\n`);
    const markdown = `# Big\n\n${pages.join('\n')}`;
    expect(markdown.length).toBeLessThan(MAX_PLAYBOOK_CHARS);
    const { playbook, problems } = expectSound(markdown);
    expect(problems).toEqual([]);
    expect(playbook!.pages).toHaveLength(1_000);
    expect(playbook!.pages[999]).toMatchObject({ id: 'page-999', line: 2 + 999 * 6 + 1 });
  });

  it('stays usable on inputs that make the inline lexer explode, without reading them inline', () => {
    // `[a](#` repeated is cubic in marked's inline lexer; only short titles and choices are read inline.
    const bomb = '[a](#'.repeat(10_000);
    const { playbook } = expectSound(`## ${bomb}\n\n${bomb}\n\n- ${bomb})\n\n> ${bomb}\n`);
    expect(playbook!.pages).toHaveLength(1);
    expect(playbook!.pages[0].choices).toEqual([]);
  });

  it('reports nesting too deep to lex instead of crashing', () => {
    const { problems } = expectSound(`## A\n\n${'> '.repeat(50_000)}x\n`);
    expect(problems.map((problem) => problem.code)).toContain('PLAYBOOK_UNPARSABLE');
  });

  it('reads a long heading without inline lexing and a long list item as text', () => {
    const title = `Check ${'very '.repeat(80)}carefully`;
    const { playbook } = expectSound(`## ${title} {#long}\n\n- [${'x'.repeat(320)}](#long)\n`);
    expect(playbook!.pages[0]).toMatchObject({ id: 'long', title });
    expect(playbook!.pages[0].choices).toEqual([]);
    expect(playbook!.pages[0].content[0].kind).toBe('text');
  });
});
