import { describe, expect, it } from 'vitest';
import { MAX_PLAYBOOK_CHARS, parsePlaybook } from './parse-playbook.js';

const FILE = 'playbooks/mysql.md';

function parse(markdown: string) {
  return parsePlaybook(markdown, FILE, 'mysql');
}

function codes(markdown: string): string[] {
  return parse(markdown).problems.map((problem) => problem.code);
}

const STORY = [
  '# MySQL replication lag', // 1
  '', // 2
  'Read this first.', // 3
  '', // 4
  '## Is the lag rising? {#start}', // 5
  '', // 6
  'Look at the graph.', // 7
  '', // 8
  '```sh', // 9
  "mysql -h {{ alert.labels.host }} -e 'SHOW REPLICA STATUS\\G'", // 10
  '```', // 11
  '', // 12
  '- [Yes, rising](#check-the-tunnel)', // 13
  '- [No, stable](#stable)', // 14
  '', // 15
  '## Check the tunnel', // 16
  '', // 17
  '> The tunnel is `wg0`.', // 18
  '', // 19
  '| what | where |', // 20
  '| --- | --- |', // 21
  '| tunnel | wg0 |', // 22
  '', // 23
  '- [Back to the start](#start)', // 24
  '', // 25
  '## Lag is stable {#stable}', // 26
  '', // 27
  '1. Watch it.', // 28
  '2. Resolve when it is zero.', // 29
  '', // 30
].join('\n');

describe('parsePlaybook', () => {
  it('reads the title, pages, ids, text, commands and choices with their lines', () => {
    const { playbook, problems } = parse(STORY);
    expect(problems).toEqual([]);
    expect(playbook).toMatchObject({ id: 'mysql', title: 'MySQL replication lag', file: FILE, startPage: 'start' });
    expect(playbook!.pages.map((page) => [page.id, page.title, page.line])).toEqual([
      ['start', 'Is the lag rising?', 5],
      ['check-the-tunnel', 'Check the tunnel', 16],
      ['stable', 'Lag is stable', 26],
    ]);
    const [start, tunnel, stable] = playbook!.pages;
    expect(start.content).toEqual([
      { kind: 'text', text: 'Read this first.', line: 3 },
      { kind: 'text', text: 'Look at the graph.', line: 7 },
      { kind: 'command', template: "mysql -h {{ alert.labels.host }} -e 'SHOW REPLICA STATUS\\G'", language: 'sh', line: 9 },
    ]);
    expect(start.choices).toEqual([
      { label: 'Yes, rising', to: 'check-the-tunnel', line: 13 },
      { label: 'No, stable', to: 'stable', line: 14 },
    ]);
    expect(tunnel.content).toEqual([
      { kind: 'text', text: '> The tunnel is `wg0`.', line: 18 },
      { kind: 'text', text: '| what | where |\n| --- | --- |\n| tunnel | wg0 |', line: 20 },
    ]);
    expect(tunnel.choices).toEqual([{ label: 'Back to the start', to: 'start', line: 24 }]);
    expect(stable.content).toEqual([{ kind: 'text', text: '1. Watch it.\n2. Resolve when it is zero.', line: 28 }]);
    expect(stable.choices).toEqual([]);
  });

  it('starts at the first page unless a page is called start', () => {
    const first = parse('## One\n\n- [Two](#two)\n\n## Two\n\ntext\n').playbook!;
    expect(first.startPage).toBe('one');
    const explicit = parse('## One\n\ntext\n\n## Begin here {#start}\n\n- [One](#one)\n').playbook!;
    expect(explicit.startPage).toBe('start');
  });

  it('uses the id as the title when there is no # heading, and only the first # heading as title', () => {
    const { playbook } = parse('## Page\n\ntext\n\n# Not a title\n');
    expect(playbook!.title).toBe('mysql');
    expect(playbook!.pages[0].content[1]).toEqual({ kind: 'text', text: '# Not a title', line: 5 });
    const twice = parse('# First\n\n# Second\n\n## Page\n\ntext\n').playbook!;
    expect(twice.title).toBe('First');
    expect(twice.pages[0].content[0]).toEqual({ kind: 'text', text: '# Second', line: 3 });
  });

  it('keeps code languages (first word of the info string) and indented code as commands', () => {
    const { playbook } = parse('## P\n\n~~~bash title="x"\nls\n~~~\n\n```\nuptime\n```\n\n    df -h\n');
    expect(playbook!.pages[0].content).toEqual([
      { kind: 'command', template: 'ls', language: 'bash', line: 3 },
      { kind: 'command', template: 'uptime', line: 7 },
      { kind: 'command', template: 'df -h', line: 11 },
    ]);
  });

  it('treats mixed lists, outside links, task lists and lists with prose as text', () => {
    const markdown = [
      '## P', //1
      '', //2
      '- [Tunnel](#p)', //3
      '- read the graph first', //4
      '', //5
      '* [Runbook](https://example.com/runbook)', //6
      '', //7
      '+ [ ] [Done](#p)', //8
      '', //9
      '- [Tunnel](#p) if the lag rises', //10
      '', //11
      '1) [Two links](#p) [here](#p)', //12
    ].join('\n');
    const { playbook, problems } = parse(markdown);
    expect(problems).toEqual([]);
    expect(playbook!.pages[0].choices).toEqual([]);
    expect(playbook!.pages[0].content.map((content) => content.line)).toEqual([3, 6, 8, 10, 12]);
  });

  it('reads choices with markup in labels, ordered lists, loose lists and encoded targets', () => {
    const markdown = '## P {#p}\n\n1. [**Yes**, `wg0` is down](#p)\n\n2. [Café](#caf%C3%A9)\n\n## Café\n\n- [Back](#p)\n';
    const { playbook, problems } = parse(markdown);
    expect(problems).toEqual([]);
    expect(playbook!.pages[0].choices).toEqual([
      { label: 'Yes, wg0 is down', to: 'p', line: 3 },
      { label: 'Café', to: 'café', line: 5 },
    ]);
  });

  it('labels an empty choice with the title of its page', () => {
    const { playbook } = parse('## A\n\n- [](#b)\n\n## B\n\ntext\n');
    expect(playbook!.pages[0].choices).toEqual([{ label: 'B', to: 'b', line: 3 }]);
  });

  it('gives text and choices before the first page to the first page', () => {
    const { playbook, problems } = parse('Intro.\n\n- [Go](#b)\n\n# T\n\n## A\n\n## B\n\ntext\n');
    expect(problems).toEqual([]);
    expect(playbook!.pages[0].content).toEqual([{ kind: 'text', text: 'Intro.', line: 1 }]);
    expect(playbook!.pages[0].choices).toEqual([{ label: 'Go', to: 'b', line: 3 }]);
  });

  it('slugs headings the way GitHub does, unicode included, and falls back when nothing is left', () => {
    const { playbook } = parse('## Lag rising — check wg0?\n\nx\n\n## Réplication à l’arrêt\n\nx\n\n## 🔥🔥\n\nx\n\n## Check `ssh`\n\nx\n');
    expect(playbook!.pages.map((page) => page.id)).toEqual(['lag-rising--check-wg0', 'réplication-à-larrêt', 'page-3', 'check-ssh']);
    expect(playbook!.pages[3].title).toBe('Check ssh');
  });

  it('leaves HTML comments out and keeps other HTML as text', () => {
    const { playbook } = parse('## P\n\n<!-- note for authors -->\n\n<details>x</details>\n');
    expect(playbook!.pages[0].content).toEqual([{ kind: 'text', text: '<details>x</details>', line: 5 }]);
  });

  it('counts lines of Windows line endings and a byte order mark correctly', () => {
    const { playbook } = parse('\uFEFF# T\r\n\r\n## P\r\n\r\ntext\r\n\r\n- [P](#p)\r\n');
    expect(playbook!.title).toBe('T');
    expect(playbook!.pages[0]).toMatchObject({ id: 'p', line: 3 });
    expect(playbook!.pages[0].content).toEqual([{ kind: 'text', text: 'text', line: 5 }]);
    expect(playbook!.pages[0].choices[0].line).toBe(7);
  });
});

describe('parsePlaybook problems', () => {
  it('PLAYBOOK_NO_PAGES on a document without ## headings, and no playbook', () => {
    const result = parse('# Title\n\nJust text.\n');
    expect(result.playbook).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PLAYBOOK_NO_PAGES', line: 1, file: FILE })]);
    expect(codes('')).toEqual(['PLAYBOOK_NO_PAGES']);
  });

  it('PLAYBOOK_DUPLICATE_PAGE at the second heading; links go to the first, the second stays readable', () => {
    const { playbook, problems } = parse('## A\n\n- [B](#b)\n\n## B\n\n- [A](#a)\n\n## Other {#b}\n\n- [A](#a)\n');
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAYBOOK_DUPLICATE_PAGE', line: 9 })]);
    expect(problems[0].message).toContain('line 5');
    expect(playbook!.pages.map((page) => page.id)).toEqual(['a', 'b', 'b-2']);
    expect(playbook!.pages[0].choices[0].to).toBe('b');
  });

  it('PLAYBOOK_UNKNOWN_PAGE at the choice line, with the closest id suggested, and drops that choice', () => {
    const { playbook, problems } = parse('## Start\n\n- [Tunnel](#chek-tunnel)\n- [Far](#zzzzzzzzzzzz)\n\n## Check tunnel\n\n- [Back](#start)\n');
    expect(problems.map((problem) => [problem.code, problem.line])).toEqual([
      ['PLAYBOOK_UNKNOWN_PAGE', 3],
      ['PLAYBOOK_UNKNOWN_PAGE', 4],
      ['PLAYBOOK_UNREACHABLE_PAGE', 6],
    ]);
    expect(problems[0].message).toContain('did you mean "#check-tunnel"?');
    expect(problems[1].message).not.toContain('did you mean');
    expect(playbook!.pages[0].choices).toEqual([]);
  });

  it('PLAYBOOK_UNREACHABLE_PAGE for a page no choice leads to, but not for the start page', () => {
    const { problems } = parse('## A\n\n- [B](#b)\n\n## B\n\ntext\n\n## C\n\n- [A](#a)\n');
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAYBOOK_UNREACHABLE_PAGE', line: 9 })]);
    // C links to A, but nothing reachable links to C: reachability is from the start, not any link.
    expect(problems[0].message).toContain('"c"');
  });

  it('PLAYBOOK_EMPTY_PAGE for a heading with nothing under it', () => {
    const { problems } = parse('## A\n\n- [B](#b)\n\n## B\n');
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAYBOOK_EMPTY_PAGE', line: 5 })]);
  });

  it('PLAYBOOK_LONG_CHOICE_LABEL for labels over 75 characters, which are shortened', () => {
    const long = 'x'.repeat(76);
    const { playbook, problems } = parse(`## A\n\n- [${'y'.repeat(75)}](#a)\n- [${long}](#a)\n`);
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAYBOOK_LONG_CHOICE_LABEL', line: 4 })]);
    expect(Array.from(playbook!.pages[0].choices[1].label)).toHaveLength(75);
    expect(playbook!.pages[0].choices[0].label).toBe('y'.repeat(75));
  });

  it('counts a label in characters, not UTF-16 units', () => {
    expect(codes(`## A\n\n- [${'🔥'.repeat(75)}](#a)\n`)).toEqual([]);
    expect(codes(`## A\n\n- [${'🔥'.repeat(76)}](#a)\n`)).toEqual(['PLAYBOOK_LONG_CHOICE_LABEL']);
  });

  it('PLAYBOOK_TOO_MANY_CHOICES past what one row of buttons holds', () => {
    const choices = Array.from({ length: 26 }, (_, i) => `- [Go ${i}](#a)`).join('\n');
    const { problems } = parse(`## A\n\n${choices}\n`);
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAYBOOK_TOO_MANY_CHOICES', line: 28 })]);
  });

  it('PLAYBOOK_UNCLOSED_FENCE where a command block never ends', () => {
    const { playbook, problems } = parse('## A\n\ntext\n\n```sh\nls\n\n## B\n');
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAYBOOK_UNCLOSED_FENCE', line: 5 })]);
    expect(playbook!.pages).toHaveLength(1);
    expect(codes('## A\n\n````\nls\n```\n')).toEqual(['PLAYBOOK_UNCLOSED_FENCE']);
    expect(codes('## A\n\n```\n')).toEqual(['PLAYBOOK_UNCLOSED_FENCE']);
    expect(codes('## A\n\n````\nls\n`````\n')).toEqual([]);
  });

  it('PLAYBOOK_TOO_LARGE instead of parsing a document over the limit', () => {
    const result = parse(`## A\n\n${'x'.repeat(MAX_PLAYBOOK_CHARS)}`);
    expect(result.playbook).toBeUndefined();
    expect(result.problems.map((problem) => problem.code)).toEqual(['PLAYBOOK_TOO_LARGE']);
  });

  it('reports problems in line order', () => {
    const lines = parse('## A\n\n- [X](#nope)\n\n## A\n\n## C\n\ntext\n').problems.map((problem) => problem.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});

describe('parsePlaybook template checks', () => {
  it('PLAYBOOK_BAD_TEMPLATE at the line inside a command block where the Liquid breaks', () => {
    const { problems } = parse('## A\n\n```sh\nls\nmysql -h {{ alert.labels.host | nope }}\n```\n');
    expect(problems).toEqual([expect.objectContaining({ code: 'PLAYBOOK_BAD_TEMPLATE', line: 5 })]);
    expect(problems[0].message).toContain('nope');
    expect(problems[0].message).not.toMatch(/line:\d/);
  });

  it('PLAYBOOK_BAD_TEMPLATE for a tag opened in one paragraph and closed in the next', () => {
    const { problems } = parse('## A\n\n{% if alert.labels.host %}\n\nssh there\n\n{% endif %}\n');
    expect(problems.map((problem) => [problem.code, problem.line])).toEqual([
      ['PLAYBOOK_BAD_TEMPLATE', 3],
      ['PLAYBOOK_BAD_TEMPLATE', 7],
    ]);
    expect(problems[0].message).toContain('within one paragraph');
  });

  it("PLAYBOOK_UNSAFE_QUOTING at each line where a command puts a value in $'…', backquotes or a heredoc", () => {
    const markdown = [
      '## A',
      '',
      '```sh',
      'echo "{{ alert.labels.host }}" \'{{ alert.title }}\' {{ alert.labels.port }}',
      "printf $'{{ alert.title }}'",
      'echo `hostname {{ alert.labels.host }}`',
      'cat <<EOF',
      'host: {{ alert.labels.host }}',
      'EOF',
      'echo "{{ alert.title }}"',
      '```',
      '',
    ].join('\n');
    const { problems } = parse(markdown);
    expect(problems.map((problem) => [problem.code, problem.line])).toEqual([
      ['PLAYBOOK_UNSAFE_QUOTING', 5],
      ['PLAYBOOK_UNSAFE_QUOTING', 6],
      ['PLAYBOOK_UNSAFE_QUOTING', 8],
    ]);
    expect(problems[0].message).toContain("inside $'…' quoting");
    expect(problems[2].message).toContain('inside a heredoc');
    expect(problems[0].file).toBe(FILE);
  });

  it('accepts working Liquid in text, lists and commands, indented ones included', () => {
    const markdown = '## A\n\n{% if alert.labels.host %}On {{ alert.labels.host }}.{% endif %}\n\n- {{ alert.title | upcase }}\n\n    df -h {{ alert.labels.path | default: "/" }}\n';
    expect(codes(markdown)).toEqual([]);
    expect(codes('## A\n\n    ls\n    {{ x | nope }}\n').map(String)).toEqual(['PLAYBOOK_BAD_TEMPLATE']);
    expect(parse('## A\n\n    ls\n    {{ x | nope }}\n').problems[0].line).toBe(4);
  });
});
