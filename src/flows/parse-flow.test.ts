import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlow } from './parse-flow.js';
import { checkFlowText, loadFlows } from './load-flows.js';
import { formatProblem } from './flow-problem.js';
import { loadPlaybooks } from '../playbooks/load-playbooks.js';
import { loadSampleAlert } from '../runtime/load-sample-alert.js';

const minimal = `id: demo
trigger:
  on: alert
boxes:
  - id: hello
    type: post
    text: hi
`;

/** A flow on the alert trigger with these boxes (YAML list items, from line 4 of the file). */
const onAlert = (id: string, boxes: string): string => `id: ${id}\ntrigger: { on: alert }\nboxes:\n${boxes}`;

describe('parseFlow', () => {
  it('accepts a minimal flow and fills defaults', () => {
    const { flow, problems } = parseFlow(minimal, 'flows/demo.yaml');
    expect(problems).toEqual([]);
    expect(flow?.boxes[0]).toMatchObject({ id: 'hello', type: 'post', channel: 'incident' });
  });

  it('reports an unknown box type with its line and a suggestion', () => {
    const text = minimal.replace('type: post', 'type: pots');
    const { problems } = parseFlow(text, 'flows/db.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'FLOW_UNKNOWN_BOX', line: 6, boxId: 'hello' });
    expect(formatProblem(problems[0]!)).toBe('FLOW_UNKNOWN_BOX at flows/db.yaml:6 — box type "pots" is not known; did you mean "post"?');
  });

  it('reports a bad setting at the line of that setting', () => {
    const text = onAlert(
      'demo',
      `  - id: pause
    type: wait
    duration: soon
`,
    );
    const { problems } = parseFlow(text, 'f.yaml');
    expect(problems[0]).toMatchObject({ code: 'FLOW_BOX_SETTINGS', line: 6 });
    expect(problems[0]!.message).toContain('duration');
  });

  it('reports an unknown setting (typo) instead of ignoring it', () => {
    const { problems } = parseFlow(minimal.replace('text: hi', 'text: hi\n    chanel: "#x"'), 'f.yaml');
    expect(problems[0]).toMatchObject({ code: 'FLOW_BOX_SETTINGS', line: 5 });
    expect(problems[0]!.message).toMatch(/chanel/);
  });

  it('reports YAML syntax errors with line and column, and never throws', () => {
    const { problems } = parseFlow('id: demo\nboxes: [\n  - id: x\n', 'f.yaml');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.code).toBe('FLOW_YAML');
    for (const hostile of ['', '---\n- 1\n', '!!js/function "return 1"', 'a: &a [*a]', '{{ }}: x', '\u0000\u0001', 'x: '.repeat(10_000)]) {
      expect(() => parseFlow(hostile, 'f.yaml')).not.toThrow();
      expect(parseFlow(hostile, 'f.yaml').flow).toBeUndefined();
    }
  });

  it('refuses custom tags and alias bombs', () => {
    const tagged = parseFlow(minimal.replace('text: hi', 'text: !shell "rm -rf /"'), 'f.yaml');
    expect(tagged.problems[0]?.code).toBe('FLOW_YAML');
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(96 + i))
          .join(',')}]`,
      );
    expect(parseFlow(bomb.join('\n'), 'bomb.yaml').flow).toBeUndefined();
  });
});

describe('inspecting flows', () => {
  it('finds arrows to missing boxes, unknown outputs and unreachable boxes', async () => {
    const text = onAlert(
      'demo',
      `  - id: ask
    type: ask
    question: Is it bad?
    choices:
      - { id: yes, label: Yes }
      - { id: no, label: No }
    on:
      yes: pst
      maybe: post
  - id: post
    type: post
    text: "{{ boxes.later.text }}"
  - id: later
    type: post
    text: after
    next: later
`,
    );
    const { problems } = await checkFlowText(text, 'f.yaml', {});
    expect(problems.map((p) => `${p.code}:${p.line}`)).toEqual(expect.arrayContaining(['FLOW_UNKNOWN_TARGET:11', 'FLOW_UNKNOWN_OUTPUT:12', 'FLOW_CHOICE_WITHOUT_ARROW:4', 'FLOW_BOX_NOT_BEFORE:15']));
    expect(problems.find((p) => p.code === 'FLOW_UNKNOWN_TARGET')!.message).toContain('did you mean "post"');
  });

  it('FLOW_URL_HOST_FROM_VALUE where a value would form the scheme, host or port of an http-request url', async () => {
    const text = onAlert(
      'calls',
      `  - id: steered
    type: http-request
    url: "http://{{ alert.labels.host }}/status"
    next: ported
  - id: ported
    type: http-request
    url: "https://api.example.com:{{ alert.labels.port }}/x"
    next: trusted
  - id: trusted
    type: http-request
    url: "{{ vars.base | raw }}/hooks/{{ alert.labels.host }}"
    next: fine
  - id: fine
    type: http-request
    url: "https://api.example.com/hosts/{{ alert.labels.host }}?q={{ alert.title }}"
`,
    );
    const { flow, problems } = await checkFlowText(text, 'f.yaml', {});
    const found = problems.filter((p) => p.code === 'FLOW_URL_HOST_FROM_VALUE');
    expect(found.map((p) => [p.line, p.boxId, p.severity])).toEqual([
      [6, 'steered', 'error'],
      [10, 'ported', 'error'],
    ]);
    expect(found[0]!.message).toContain('{{ alert.labels.host }}');
    expect(found[0]!.message).toContain('| raw');
    expect(flow).toBeDefined();
  });

  it('checks templates nested in records, a condition as a template, and a playbook, by what each box declares', async () => {
    const text = onAlert(
      'nested',
      `  - id: first
    type: post
    text: hi
    links:
      Runbook: "{% if %}"
    next: call
  - id: call
    type: http-request
    url: "https://api.example.com/x"
    headers:
      x-run: "{{ boxes.later.text }}"
    next: branch
  - id: branch
    type: condition
    when: boxes.later.ok
    on: { true: show, false: later }
  - id: show
    type: playbook
    playbook: mysql-replicatoin
  - id: later
    type: set-variable
    set:
      host: "{{ boxes.later.x }}"
`,
    );
    const playbooks = await loadPlaybooks([join(import.meta.dirname, '../../examples/playbooks')]);
    const { problems } = await checkFlowText(text, 'f.yaml', { playbooks });
    expect(problems.map((p) => `${p.code}:${p.line}:${p.boxId}`)).toEqual(
      expect.arrayContaining(['FLOW_TEMPLATE:8:first', 'FLOW_BOX_NOT_BEFORE:14:call', 'FLOW_BOX_NOT_BEFORE:18:branch', 'FLOW_UNKNOWN_PLAYBOOK:22:show', 'FLOW_BOX_NOT_BEFORE:26:later']),
    );
    expect(problems.find((p) => p.code === 'FLOW_UNKNOWN_PLAYBOOK')!.message).toContain('did you mean "mysql-replication"');
  });

  it('checks templates strictly against the sample alert: a misspelled field is an error', async () => {
    const dir = join(import.meta.dirname, '../../examples/flows');
    const text = readFileSync(join(dir, 'mysql-replication.yaml'), 'utf8').replace('{{ alert.labels.host }}', '{{ alert.labels.hots }}');
    const playbooks = await loadPlaybooks([join(import.meta.dirname, '../../examples/playbooks')]);
    const { problems } = await checkFlowText(text, join(dir, 'mysql-replication.yaml'), { playbooks, loadSample: loadSampleAlert });
    const template = problems.filter((p) => p.code === 'FLOW_TEMPLATE');
    expect(template.length).toBeGreaterThan(0);
    expect(template[0]!.message).toContain('alert.labels.hots');
  });

  it('loads every bundled example flow with no problems, and a broken file does not stop the others', async () => {
    const dir = join(import.meta.dirname, '../../examples/flows');
    const playbooks = await loadPlaybooks([join(import.meta.dirname, '../../examples/playbooks')]);
    const catalog = await loadFlows([dir], { playbooks, loadSample: loadSampleAlert });
    expect(catalog.problems.map(formatProblem)).toEqual([]);
    const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
    expect(catalog.flows).toHaveLength(files.length);
  });
});
