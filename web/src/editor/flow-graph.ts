/** Turns a flow into what the canvas draws: boxes with their outputs and positions, and arrows. */
import type { BoxInfo } from '../api/types.js';
import type { BoxLike, FlowLike } from './flow-yaml.js';

export interface Arrow {
  from: string;
  output: string;
  to: string;
}

const asList = (value: unknown): string[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

/** Arrows of one box as (output, target) pairs, `next` first. */
export function arrowsOf(box: BoxLike): Arrow[] {
  const arrows = asList(box.next).map((to) => ({ from: box.id, output: 'next', to }));
  const on = box.on && typeof box.on === 'object' && !Array.isArray(box.on) ? box.on : {};
  for (const [output, value] of Object.entries(on)) for (const to of asList(value)) arrows.push({ from: box.id, output, to });
  return arrows;
}

/** Choice ids of an ask-like box: `choices: [{ id, label }]`, plain strings, or a map. */
function choicesOf(box: BoxLike): string[] {
  const choices = box.choices;
  if (Array.isArray(choices)) {
    return choices
      .map((choice) =>
        typeof choice === 'string' ? choice : choice && typeof choice === 'object' ? String((choice as { id?: unknown }).id ?? '') : '',
      )
      .filter(Boolean);
  }
  if (choices && typeof choices === 'object') return Object.keys(choices);
  return [];
}

/**
 * The outputs arrows can leave a box from: what its type declares, its choices, the event a wait
 * waits for, and any output already used in the file (so a stray arrow is still drawn and can be removed).
 */
export function outputsOf(box: BoxLike, info: BoxInfo | undefined): string[] {
  const outputs: string[] = [];
  const add = (name: string) => {
    if (name && !outputs.includes(name)) outputs.push(name);
  };
  if (info && Array.isArray(info.outputs)) info.outputs.forEach(add);
  choicesOf(box).forEach(add);
  // A wait's outputs depend on its settings: `next` after the duration, the event's name for `until`.
  if (box.type === 'wait') {
    if (box.duration !== undefined) add('next');
    if (typeof box.until === 'string') add(box.until);
  }
  if (outputs.length === 0 && (!info || info.outputs !== 'choices')) add('next');
  arrowsOf(box).forEach((arrow) => add(arrow.output));
  return outputs;
}

/** The boxes a run starts with: `start`, or every box no arrow points to. */
export function startBoxesOf(flow: FlowLike): string[] {
  if (Array.isArray(flow.start)) return flow.start.map(String);
  const pointedTo = new Set(flow.boxes.flatMap((box) => arrowsOf(box).map((arrow) => arrow.to)));
  return flow.boxes.filter((box) => !pointedTo.has(box.id)).map((box) => box.id);
}

export const COLUMN_WIDTH = 280;
export const ROW_HEIGHT = 150;

/**
 * Where each box sits: its `position` when the file has one, otherwise laid out in columns by
 * distance from the start (positions are optional in YAML so diffs stay about behaviour).
 */
export function layoutFlow(flow: FlowLike): { boxes: Map<string, { x: number; y: number }>; trigger: { x: number; y: number } } {
  const depth = new Map<string, number>();
  const byId = new Map(flow.boxes.map((box) => [box.id, box]));
  const queue = startBoxesOf(flow).filter((id) => byId.has(id));
  for (const id of queue) depth.set(id, 0);
  while (queue.length) {
    const id = queue.shift()!;
    for (const arrow of arrowsOf(byId.get(id)!)) {
      if (byId.has(arrow.to) && !depth.has(arrow.to)) {
        depth.set(arrow.to, depth.get(id)! + 1);
        queue.push(arrow.to);
      }
    }
  }
  const rows = new Map<number, number>();
  const positions = new Map<string, { x: number; y: number }>();
  for (const box of flow.boxes) {
    const p = box.position;
    if (p && typeof p === 'object' && Number.isFinite(p.x) && Number.isFinite(p.y)) {
      positions.set(box.id, { x: Number(p.x), y: Number(p.y) });
      continue;
    }
    // Boxes nothing reaches (a loop with no way in) go in a column of their own at the end.
    const column = depth.get(box.id) ?? (Math.max(0, ...depth.values()) + 1);
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions.set(box.id, { x: (column + 1) * COLUMN_WIDTH, y: row * ROW_HEIGHT });
  }
  const starts = startBoxesOf(flow).map((id) => positions.get(id)).filter((p): p is { x: number; y: number } => Boolean(p));
  const trigger =
    starts.length > 0
      ? { x: Math.min(...starts.map((p) => p.x)) - COLUMN_WIDTH, y: starts.reduce((sum, p) => sum + p.y, 0) / starts.length }
      : { x: 0, y: 0 };
  return { boxes: positions, trigger };
}

/** A free spot for a box added from the keyboard: right of everything, level with the first box. */
export function freeSpot(positions: Iterable<{ x: number; y: number }>): { x: number; y: number } {
  const list = [...positions];
  if (list.length === 0) return { x: COLUMN_WIDTH, y: 0 };
  return { x: Math.max(...list.map((p) => p.x)) + COLUMN_WIDTH, y: Math.min(...list.map((p) => p.y)) };
}
