/**
 * Turns a flow into what the canvas draws: boxes with their outputs and positions, and arrows.
 * Arrows, start boxes and outputs come from the server's own graph module (dependency-free), so
 * the canvas and the flow check read a flow the same way.
 */
import type { BoxInfo } from '../api/types.js';
import type { BoxLike, FlowLike } from './flow-yaml.js';
import { arrowsOf, outputsFor, settingsOf, startBoxes } from '../../../src/flows/flow-graph.js';

export { arrowsOf, startBoxes, type Arrow } from '../../../src/flows/flow-graph.js';

/**
 * The outputs arrows can leave a box from: what its type's rules give for its settings (served by
 * `/api/boxes`), and any output already used in the file (so a stray arrow is still drawn and can
 * be removed). A box whose rules name nothing yet (a wait without a duration) shows `next`, unless
 * its outputs come from a list (an ask without choices has none).
 */
export function outputsOf(box: BoxLike, info: BoxInfo | undefined): string[] {
  const outputs = info ? outputsFor(info.outputs, settingsOf(box)) : [];
  const fromList = info?.outputs.some((rule) => typeof rule === 'object' && 'eachOf' in rule) ?? false;
  if (outputs.length === 0 && !fromList) outputs.push('next');
  for (const arrow of arrowsOf(box)) if (!outputs.includes(arrow.output)) outputs.push(arrow.output);
  return outputs;
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
  const queue = startBoxes(flow).filter((id) => byId.has(id));
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
    const column = depth.get(box.id) ?? Math.max(0, ...depth.values()) + 1;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions.set(box.id, { x: (column + 1) * COLUMN_WIDTH, y: row * ROW_HEIGHT });
  }
  const starts = startBoxes(flow)
    .map((id) => positions.get(id))
    .filter((p): p is { x: number; y: number } => Boolean(p));
  const trigger = starts.length > 0 ? { x: Math.min(...starts.map((p) => p.x)) - COLUMN_WIDTH, y: starts.reduce((sum, p) => sum + p.y, 0) / starts.length } : { x: 0, y: 0 };
  return { boxes: positions, trigger };
}

/** A free spot for a box added from the keyboard: right of everything, level with the first box. */
export function freeSpot(positions: Iterable<{ x: number; y: number }>): { x: number; y: number } {
  const list = [...positions];
  if (list.length === 0) return { x: COLUMN_WIDTH, y: 0 };
  return { x: Math.max(...list.map((p) => p.x)) + COLUMN_WIDTH, y: Math.min(...list.map((p) => p.y)) };
}
