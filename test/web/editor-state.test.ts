import { describe, expect, it } from 'vitest';
import { recordEdit, redoEdit, startHistory, undoEdit } from '../../web/src/editor/edit-history.js';
import { arrowsOf, freeSpot, layoutFlow, outputsOf, startBoxes } from '../../web/src/editor/flow-graph.js';
import { getBoxType } from '../../src/boxes/registry.js';
import { templatesOf } from '../../src/boxes/box-templates.js';
import { fieldKindOf, formatTextOrList, parseTextOrList } from '../../web/src/editor/schema-fields.js';
import type { BoxInfo } from '../../web/src/api/types.js';
import type { FlowLike } from '../../web/src/editor/flow-yaml.js';

describe('edit history', () => {
  it('undoes and redoes, and a new edit drops the redo steps', () => {
    let history = startHistory('a');
    history = recordEdit(history, 'b');
    history = recordEdit(history, 'c');
    history = undoEdit(history);
    expect(history.present).toBe('b');
    history = redoEdit(history);
    expect(history.present).toBe('c');
    history = undoEdit(undoEdit(history));
    expect(history.present).toBe('a');
    expect(undoEdit(history)).toBe(history);
    history = recordEdit(history, 'x');
    expect(history.future).toEqual([]);
    expect(redoEdit(history)).toBe(history);
  });

  it('makes one step of typing in one field', () => {
    let history = startHistory('');
    for (const text of ['h', 'he', 'hel']) history = recordEdit(history, text, 'box:text');
    history = recordEdit(history, 'hel!', 'box:other');
    expect(history.past).toEqual(['', 'hel']);
    expect(recordEdit(history, 'hel!')).toBe(history);
  });
});

/** What `/api/boxes` serves for a box type: its real output rules. */
const info = (type: string): BoxInfo => {
  const box = getBoxType(type)!;
  return { type, title: box.title, description: box.description, outputs: box.outputs, produces: box.produces ?? [], templates: templatesOf(box.settings).modes, schema: {} };
};

describe('flow graph', () => {
  const flow: FlowLike = {
    boxes: [
      {
        id: 'ask',
        type: 'ask',
        choices: [
          { id: 'rising', label: 'Rising' },
          { id: 'stable', label: 'Stable' },
        ],
        on: { rising: 'page', stable: ['wait', 'page'] },
      },
      { id: 'page', type: 'post', next: 'wait' },
      { id: 'wait', type: 'wait', duration: '1m', until: 'resolved', on: { resolved: 'ask' } },
      { id: 'orphan', type: 'report', next: 'orphan' },
    ],
  };

  it('reads arrows, outputs and start boxes', () => {
    expect(arrowsOf(flow.boxes[0]!)).toEqual([
      { from: 'ask', output: 'rising', to: 'page' },
      { from: 'ask', output: 'stable', to: 'wait' },
      { from: 'ask', output: 'stable', to: 'page' },
    ]);
    expect(outputsOf(flow.boxes[0]!, info('ask'))).toEqual(['rising', 'stable']);
    expect(outputsOf(flow.boxes[2]!, info('wait'))).toEqual(['next', 'resolved']);
    expect(outputsOf({ id: 'w', type: 'wait', until: 'resolved' }, info('wait'))).toEqual(['resolved']);
    expect(outputsOf({ id: 'x', type: 'mystery', on: { weird: 'y' } }, undefined)).toEqual(['next', 'weird']);
    expect(startBoxes(flow)).toEqual([]);
    expect(
      startBoxes({
        boxes: [
          { id: 'a', type: 'post', next: 'b' },
          { id: 'b', type: 'post' },
        ],
      }),
    ).toEqual(['a']);
  });

  it('lays out by distance from the start and keeps written positions', () => {
    const layout = layoutFlow({
      boxes: [
        { id: 'a', type: 'post', next: ['b', 'c'] },
        { id: 'b', type: 'post' },
        { id: 'c', type: 'post', position: { x: 999, y: 5 } },
      ],
    });
    expect(layout.boxes.get('a')!.x).toBeLessThan(layout.boxes.get('b')!.x);
    expect(layout.boxes.get('c')).toEqual({ x: 999, y: 5 });
    expect(layout.trigger.x).toBeLessThan(layout.boxes.get('a')!.x);
    const loop = layoutFlow(flow);
    expect(new Set([...loop.boxes.values()].map((p) => `${p.x},${p.y}`)).size).toBe(4);
    expect(
      freeSpot([
        { x: 0, y: 10 },
        { x: 300, y: 0 },
      ]).x,
    ).toBeGreaterThan(300);
  });

  it('ignores garbage positions and arrows', () => {
    const layout = layoutFlow({ boxes: [{ id: 'a', type: 'post', position: { x: 'no', y: null } as never, next: 42 as never }] });
    expect(Number.isFinite(layout.boxes.get('a')!.x)).toBe(true);
    expect(arrowsOf({ id: 'a', type: 'post', on: 'nope' as never })).toEqual([]);
  });
});

describe('schema fields', () => {
  it('picks a control per schema and value', () => {
    const channel = { default: 'incident', anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
    expect(fieldKindOf(channel, undefined).kind).toBe('text-or-list');
    expect(fieldKindOf(channel, ['#a', '#b']).kind).toBe('text-or-list');
    expect(fieldKindOf(channel, { odd: true }).kind).toBe('yaml');
    expect(fieldKindOf({ type: 'string', enum: ['GET', 'POST'] }, 'GET')).toEqual({ kind: 'select', options: ['GET', 'POST'] });
    expect(fieldKindOf({ type: 'integer' }, 5)).toEqual({ kind: 'number', integer: true });
    expect(fieldKindOf({ type: 'integer' }, 'five').kind).toBe('yaml');
    expect(fieldKindOf({ type: 'boolean' }, undefined).kind).toBe('boolean');
    expect(fieldKindOf({ type: 'array', items: { type: 'string' } }, ['a']).kind).toBe('list');
    expect(fieldKindOf({ type: 'object', additionalProperties: { type: 'string' } }, { a: 'b' }).kind).toBe('record');
    const choices = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, label: { type: 'string' } } } };
    expect(fieldKindOf(choices, [{ id: 'a', label: 'A' }]).kind).toBe('object-list');
    expect(fieldKindOf(choices, 'oops').kind).toBe('yaml');
    expect(
      fieldKindOf(
        {
          anyOf: [
            { type: 'string', const: 'responders' },
            { type: 'array', items: { type: 'string' } },
          ],
        },
        'responders',
      ).kind,
    ).toBe('text-or-list');
    expect(fieldKindOf({}, 1).kind).toBe('yaml');
  });

  it('reads commas as lists', () => {
    expect(parseTextOrList('#a, #b')).toEqual(['#a', '#b']);
    expect(parseTextOrList('incident')).toBe('incident');
    expect(parseTextOrList('solo,')).toEqual(['solo']);
    expect(parseTextOrList(' , ')).toBeUndefined();
    expect(formatTextOrList(['#a', '#b'])).toBe('#a, #b');
  });
});

describe('the default sample alert', async () => {
  const { defaultSample } = await import('../../web/src/editor/use-flow-resources.js');
  const sample = (name: string, source: string) => ({ name, source, file: `examples/alerts/${name}.json`, payload: {} });
  const samples = [sample('alertmanager-http-5xx-resolved', 'alertmanager'), sample('alertmanager-http-5xx', 'alertmanager'), sample('datadog-disk-full', 'datadog')];
  it('prefers the flow’s own sample, then its source, then a firing one', () => {
    expect(defaultSample(samples, { sample: { file: '../alerts/datadog-disk-full.json' } })?.name).toBe('datadog-disk-full');
    expect(defaultSample(samples, { trigger: { match: { source: 'datadog' } } })?.name).toBe('datadog-disk-full');
    expect(defaultSample(samples, {})?.name).toBe('alertmanager-http-5xx');
    expect(defaultSample(samples, { sample: { file: '../../etc/passwd' } })?.name).toBe('alertmanager-http-5xx');
    expect(defaultSample([], undefined)).toBeUndefined();
  });
});
