/**
 * The shape of a flow as a graph: arrows, start boxes and the outputs a box has for its settings.
 * Shared by the server (inspection, the engine) and the web editor (the canvas), so it imports
 * nothing and reads flows leniently: the editor draws half-typed files the schema would reject.
 */

/** A box as the graph sees it: base fields and its type's settings beside them. */
export interface GraphBox {
  id: string;
  type: string;
  next?: unknown;
  on?: unknown;
  [setting: string]: unknown;
}

/** A flow as the graph sees it. */
export interface GraphFlow {
  start?: unknown;
  boxes: GraphBox[];
}

/** One arrow: from a box's named output to another box. */
export interface Arrow {
  from: string;
  output: string;
  to: string;
}

/**
 * How a box type names its outputs, evaluated against a box's settings so that the server and the
 * editor agree without calling the box's code:
 * - `'next'`: a fixed output;
 * - `{ name, when }`: the output `name` when the setting `when` is set (a wait's `next` after a duration);
 * - `{ from }`: the output named by a setting's value (a wait's `until` event);
 * - `{ eachOf, key }`: one output per item of a list setting, named by the item's `key` (an ask's choices).
 */
export type OutputRule = string | { name: string; when: string } | { from: string } | { eachOf: string; key: string };

const asList = (value: unknown): string[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

const isRecord = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** Arrows of one box as (output, target) pairs, `next` first. */
export function arrowsOf(box: GraphBox): Arrow[] {
  const arrows = asList(box.next).map((to) => ({ from: box.id, output: 'next', to }));
  const on = isRecord(box.on) ? box.on : {};
  for (const [output, value] of Object.entries(on)) for (const to of asList(value)) arrows.push({ from: box.id, output, to });
  return arrows;
}

/** The boxes a run starts with: `start`, or every box no arrow points to. */
export function startBoxes(flow: GraphFlow): string[] {
  if (Array.isArray(flow.start)) return flow.start.map(String);
  const pointedTo = new Set(flow.boxes.flatMap((box) => arrowsOf(box).map((arrow) => arrow.to)));
  return flow.boxes.filter((box) => !pointedTo.has(box.id)).map((box) => box.id);
}

/** The outputs a box of a type with these rules has, given its settings; duplicates dropped. */
export function outputsFor(rules: readonly OutputRule[], settings: Record<string, unknown>): string[] {
  const outputs: string[] = [];
  const add = (name: unknown) => {
    if (typeof name === 'string' && name && !outputs.includes(name)) outputs.push(name);
  };
  for (const rule of rules) {
    if (typeof rule === 'string') add(rule);
    else if ('when' in rule) {
      if (settings[rule.when] !== undefined && settings[rule.when] !== null && settings[rule.when] !== '') add(rule.name);
    } else if ('from' in rule) add(settings[rule.from]);
    else {
      const items = settings[rule.eachOf];
      // While a file is being typed an item may still be a bare string, or the list a map.
      if (Array.isArray(items)) for (const item of items) add(isRecord(item) ? String(item[rule.key] ?? '') : typeof item === 'string' ? item : '');
      else if (isRecord(items)) Object.keys(items).forEach(add);
    }
  }
  return outputs;
}

/** The fields every box has (flow-schema.ts validates them); its type's settings sit beside them. */
export const BOX_BASE_KEYS = ['id', 'type', 'title', 'next', 'on', 'position', 'chat'] as const;

const baseKeys: ReadonlySet<string> = new Set(BOX_BASE_KEYS);

/** A box's settings: every field but the base ones, as its type's schema reads them. */
export function settingsOf(box: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(box).filter(([key]) => !baseKeys.has(key)));
}
