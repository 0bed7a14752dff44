import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addArrow, addBox, freeBoxId, FlowEditError, moveBox, readFlow, removeArrow, removeBoxes, renameBox, setBoxValue, setFlowValue } from '../../web/src/editor/flow-yaml.js';

const FLOW = `# MySQL replication: page the database team.
id: mysql-lag
name: MySQL replication lag   # shown in the editor
trigger:
  on: alert
  match:
    title: "*replication*"
boxes:
  # Talk first.
  - id: meeting
    type: meeting
    next: announce
  - id: announce
    type: post
    channel: "#db-team"
    text: |
      Lag on {{ alert.raw.host }}.
      Join {{ boxes.meeting.join_url }}
    next: [breathe, playbook]
  - id: breathe
    type: wait
    duration: 30m # a long night
    next: hydrate
  - id: hydrate
    type: direct-message
    text: 'Drink some water.'
  - id: playbook
    type: playbook
    playbook: mysql-replication
`;

describe('flow YAML edits keep the file', () => {
  it('prints an unchanged file byte for byte', () => {
    expect(setFlowValue(FLOW, ['name'], 'MySQL replication lag')).toBe(FLOW);
  });

  it('changes one value and nothing else, keeping comments and quoting', () => {
    const next = setBoxValue(FLOW, 'breathe', ['duration'], '1m');
    expect(next).toBe(FLOW.replace('duration: 30m # a long night', 'duration: 1m # a long night'));
    const quoted = setBoxValue(FLOW, 'hydrate', ['text'], 'Take a breath.');
    expect(quoted).toContain("text: 'Take a breath.'");
  });

  it('adds a box at the end with a one-line position', () => {
    const next = addBox(FLOW, { id: 'report', type: 'report', position: { x: 10.4, y: 20.6 } });
    expect(next.startsWith(FLOW)).toBe(true);
    expect(next.slice(FLOW.length)).toBe('  - id: report\n    type: report\n    position: {x: 10, y: 21}\n');
  });

  it('refuses a taken or invalid id', () => {
    expect(() => addBox(FLOW, { id: 'meeting', type: 'post' })).toThrow(FlowEditError);
    expect(() => addBox(FLOW, { id: '../etc', type: 'post' })).toThrow(/not a valid box id/);
    expect(() => addBox(FLOW, { id: 'x: {a', type: 'post' })).toThrow(/not a valid box id/);
  });

  it('adds arrows: scalar, then a flow list; removing collapses back', () => {
    const one = addArrow(FLOW, 'hydrate', 'next', 'playbook');
    expect(one).toContain("text: 'Drink some water.'\n    next: playbook\n");
    const two = addArrow(one, 'hydrate', 'next', 'meeting');
    expect(two).toContain('next: [playbook, meeting]');
    expect(addArrow(two, 'hydrate', 'next', 'meeting')).toBe(two);
    expect(removeArrow(two, 'hydrate', 'next', 'meeting')).toBe(one);
    expect(removeArrow(one, 'hydrate', 'next', 'playbook')).toBe(FLOW);
  });

  it('puts named outputs under on: and removes on: when it empties', () => {
    const next = addArrow(FLOW, 'breathe', 'resolved', 'hydrate');
    expect(parse(next).boxes[2].on).toEqual({ resolved: 'hydrate' });
    expect(removeArrow(next, 'breathe', 'resolved', 'hydrate')).toBe(FLOW);
  });

  it('refuses an arrow to a box that does not exist', () => {
    expect(() => addArrow(FLOW, 'meeting', 'next', 'nowhere')).toThrow(/no box "nowhere"/);
  });

  it('removes boxes with the arrows into them', () => {
    const next = removeBoxes(FLOW, ['playbook']);
    const flow = parse(next);
    expect(flow.boxes.map((box: { id: string }) => box.id)).toEqual(['meeting', 'announce', 'breathe', 'hydrate']);
    expect(flow.boxes[1].next).toBe('breathe');
    expect(next).toContain('# Talk first.');
  });

  it('renames a box and every arrow to it', () => {
    const next = renameBox(FLOW, 'breathe', 'pause');
    const flow = parse(next);
    expect(flow.boxes[2].id).toBe('pause');
    expect(flow.boxes[1].next).toEqual(['pause', 'playbook']);
    expect(() => renameBox(FLOW, 'breathe', 'hydrate')).toThrow(/already exists/);
  });

  it('moves a box in place on later moves', () => {
    const once = moveBox(FLOW, 'meeting', { x: 1, y: 2 });
    const twice = moveBox(once, 'meeting', { x: 300, y: -40 });
    expect(twice).toContain('position: {x: 300, y: -40}');
    expect(moveBox('id: f\nboxes:\n  - { id: a, type: post }\n', 'a', { x: 1, y: 2 })).toContain('{ x: 1, y: 2 }');
    expect(twice.match(/position/g)).toHaveLength(1);
  });

  it('writes multi-line text as a block and removes emptied maps', () => {
    const next = setBoxValue(FLOW, 'hydrate', ['text'], 'line one\nline two');
    expect(parse(next).boxes[3].text).toBe('line one\nline two');
    const withMatch = setFlowValue(FLOW, ['trigger', 'match', 'title'], undefined);
    expect(parse(withMatch).trigger).toEqual({ on: 'alert' });
  });

  it('stores hostile values as data, never as YAML structure', () => {
    const hostile = 'x\n- id: evil\n  type: http-request\n"}: !!js/function "';
    const next = setBoxValue(FLOW, 'hydrate', ['text'], hostile);
    const flow = parse(next);
    expect(flow.boxes).toHaveLength(5);
    expect(flow.boxes[3].text).toBe(hostile);
    const tagged = setBoxValue(FLOW, 'hydrate', ['text'], '!!binary aGk=');
    expect(parse(tagged).boxes[3].text).toBe('!!binary aGk=');
  });

  it('keeps the file’s own indentation style', () => {
    const flat = 'id: f\ntrigger:\n  on: alert\nboxes:\n- id: a\n  type: post\n  text: hi\n';
    expect(addBox(flat, { id: 'b', type: 'report' })).toBe(`${flat}- id: b\n  type: report\n`);
    const wide = 'id: f\ntrigger:\n    on: alert\nboxes:\n    - id: a\n      type: post\n';
    expect(addBox(wide, { id: 'b', type: 'report' })).toBe(`${wide}    - id: b\n      type: report\n`);
  });

  it('refuses to edit a file that does not parse, and reads its problem line', () => {
    const broken = 'id: f\nboxes:\n  - id: a\n    text: "unclosed\n';
    expect(() => addBox(broken, { id: 'b', type: 'post' })).toThrow(/does not parse/);
    const { flow, problems } = readFlow(broken);
    expect(flow).toBeUndefined();
    expect(problems[0]!.line).toBeGreaterThan(0);
  });

  it('reads odd files without crashing', () => {
    expect(readFlow('').problems).toHaveLength(1);
    expect(readFlow('- a\n- b').problems[0]!.message).toMatch(/map/);
    expect(readFlow('a: &x [*x]').problems.length + (readFlow('a: &x [*x]').flow ? 0 : 0)).toBeGreaterThanOrEqual(0);
    const bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    expect(readFlow(bomb).problems.length).toBe(1);
    expect(readFlow('id: f\nboxes: [1, null, {id: a, type: post}]').flow!.boxes).toHaveLength(1);
  });

  it('picks free ids from the type', () => {
    const { flow } = readFlow(FLOW);
    expect(freeBoxId(flow, 'post')).toBe('post');
    expect(freeBoxId(flow, 'meeting')).toBe('meeting-2');
    expect(freeBoxId(flow, '../Weird Type')).toBe('weird-type');
  });
});

describe('untouched lines keep their spelling', () => {
  const SPACED = `id: spaced
name: Spaced   # aligned comment
trigger: { on: alert }


boxes:
  - id: a
    type: post
    text: hi        # another
    next: [ b ]

  - id: b
    type: report
`;

  it('changes only the edited line', () => {
    const next = setBoxValue(SPACED, 'a', ['text'], 'hello');
    expect(next).toBe(SPACED.replace('text: hi        # another', 'text: hello # another'));
  });

  it('keeps blank-line runs and flow padding around an added box', () => {
    const next = addBox(SPACED, { id: 'c', type: 'report' });
    expect(next.startsWith(SPACED)).toBe(true);
  });

  it('falls back to the printed text when copying back would change meaning', async () => {
    const { keepOriginalLines } = await import('../../web/src/editor/keep-lines.js');
    // A contrived "original" whose line would alter the edited data if copied back.
    expect(keepOriginalLines('a: 1\nb:  2\n', 'a: 1\nb: 2\n', 'a: 1\nb: 2\nc: 3\n')).toBe('a: 1\nb:  2\nc: 3\n');
    expect(keepOriginalLines('x: [ 1 ]\n', 'x: [1]\n', 'x: [1]\n')).toBe('x: [ 1 ]\n');
    expect(keepOriginalLines('x: "1"\n', 'x: 1\n', 'x: 1\n')).toBe('x: 1\n');
  });
});

describe('hostile flow files', () => {
  it('reads custom tags as plain data and keeps them through an edit', () => {
    const tagged = 'id: f\ntrigger: { on: alert }\nboxes:\n  - id: a\n    type: post\n    text: !!js/function "function () { return 1 }"\n  - !evil { id: b, type: post }\n';
    const { flow, problems } = readFlow(tagged);
    expect(problems).toEqual([]);
    expect(typeof flow!.boxes[0]!.text).toBe('string');
    const next = addArrow(tagged, 'a', 'next', 'b');
    expect(next).toContain('!!js/function "function () { return 1 }"');
    expect(next).toContain('!evil');
  });

  it('survives aliases, duplicate keys and huge values without running away', () => {
    expect(readFlow('id: f\nid: g\nboxes: []\n').problems.length).toBeGreaterThan(0);
    const anchors = 'id: f\nboxes:\n  - &box { id: a, type: post, text: hi }\n  - *box\n';
    expect(readFlow(anchors).flow!.boxes.map((box) => box.id)).toEqual(['a', 'a']);
    const huge = `id: f\nboxes:\n  - id: a\n    type: post\n    text: "${'x'.repeat(200_000)}"\n`;
    expect(setBoxValue(huge, 'a', ['title'], 'T')).toContain('title: T');
  });
});

describe('position stays last', () => {
  it('puts settings added after a move above the position', () => {
    const placed = addBox('id: f\nboxes:\n  - id: a\n    type: post\n', { id: 'b', type: 'ask', position: { x: 1, y: 2 } });
    const next = setBoxValue(setBoxValue(placed, 'b', ['question'], 'Rising?'), 'b', ['choices'], [{ id: 'yes', label: 'Yes' }]);
    expect(next).toBe('id: f\nboxes:\n  - id: a\n    type: post\n  - id: b\n    type: ask\n    question: Rising?\n    choices:\n      - id: yes\n        label: Yes\n    position: {x: 1, y: 2}\n');
  });
});
