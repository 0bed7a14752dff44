/**
 * Edits a flow file through the `yaml` package's Document API, so every change keeps the file's
 * comments, key order and scalar styles: the saved diff shows only what the person changed.
 * Every function takes the YAML text and returns the new text; the text is the editor's state.
 */
import { keepOriginalLines } from './keep-lines.js';
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';

/** A box as the editor reads it: base fields plus settings. */
export interface BoxLike {
  id: string;
  type: string;
  title?: string;
  next?: string | string[];
  on?: Record<string, string | string[]>;
  position?: { x: number; y: number };
  [setting: string]: unknown;
}

/** A flow as the editor reads it; the server is the judge of validity. */
export interface FlowLike {
  id?: string;
  name?: string;
  description?: string;
  enabled?: boolean;
  trigger?: { on?: string; match?: Record<string, unknown>; priority?: number };
  sample?: { source?: string; file?: string };
  vars?: Record<string, unknown>;
  start?: string[];
  boxes: BoxLike[];
}

export interface YamlProblem {
  message: string;
  line: number;
}

/** Why an edit could not be applied (the file does not parse, or names a box that is not there). */
export class FlowEditError extends Error {
  constructor(
    readonly code: 'FLOW_YAML_INVALID' | 'FLOW_NOT_A_MAP' | 'BOX_NOT_FOUND' | 'BOX_ID_TAKEN' | 'BOX_ID_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'FlowEditError';
  }
}

const BOX_ID = /^[a-z0-9][a-z0-9_-]*$/i;

/** Reads the flow for display: whatever parses, with syntax problems and their lines. */
export function readFlow(text: string): { flow?: FlowLike; problems: YamlProblem[] } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const problems = doc.errors.map((error) => ({ message: error.message.split('\n')[0]!, line: error.linePos?.[0]?.line ?? 1 }));
  if (problems.length) return { problems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { problems: [{ message: (error as Error).message, line: 1 }] };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { problems: [{ message: 'a flow file is a map with id, trigger and boxes', line: 1 }] };
  }
  const raw = value as Record<string, unknown>;
  const boxes = (Array.isArray(raw.boxes) ? raw.boxes : [])
    .filter((box): box is Record<string, unknown> => Boolean(box) && typeof box === 'object' && !Array.isArray(box))
    .map((box) => ({ ...box, id: String(box.id ?? ''), type: String(box.type ?? '') }) as BoxLike);
  return { flow: { ...(raw as object), boxes } as FlowLike, problems: [] };
}

/** Parses, applies `change` to the Document, and prints it back in the file's own indentation. */
function editDocument(text: string, change: (doc: Document, boxes: YAMLSeq) => void): string {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) {
    throw new FlowEditError('FLOW_YAML_INVALID', `the YAML does not parse (line ${doc.errors[0]!.linePos?.[0]?.line ?? '?'}); fix it in the YAML view first`);
  }
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  if (!isMap(doc.contents)) throw new FlowEditError('FLOW_NOT_A_MAP', 'a flow file is a map with id, trigger and boxes');
  const options = printOptionsOf(text);
  const before = doc.toString(options);
  let boxes = doc.get('boxes', true);
  if (!isSeq(boxes)) {
    boxes = new YAMLSeq();
    doc.set('boxes', boxes);
  }
  change(doc, boxes as YAMLSeq);
  return keepOriginalLines(text, before, doc.toString(options));
}

/** Keeps the file's indentation and sequence style; never folds long lines (that would rewrite untouched text). */
function printOptionsOf(text: string) {
  const nested = /^[^\s#-][^\n]*:[ \t]*\r?\n([ ]+)[^\s-]/m.exec(text);
  const seq = /^[^\s#-][^\n]*:[ \t]*\r?\n([ ]*)- /m.exec(text);
  // `[a, b]` or `[ a, b ]`: whichever the file already uses (none: the compact one).
  const padded = /(?:^|[:,-][ \t]+|\[)[[{] [^\s\]}]/m.test(text.replace(/#[^\n]*/g, ''));
  return {
    flowCollectionPadding: padded,
    indent: nested ? Math.min(8, Math.max(1, nested[1]!.length)) : 2,
    indentSeq: seq ? seq[1]!.length > 0 : true,
    lineWidth: 0,
    minContentWidth: 0,
  };
}

function findBox(boxes: YAMLSeq, id: string): YAMLMap {
  const box = boxes.items.find((item) => isMap(item) && String(item.get('id')) === id);
  if (!box) throw new FlowEditError('BOX_NOT_FOUND', `there is no box "${id}" in this flow`);
  return box as YAMLMap;
}

function targetList(node: unknown): string[] {
  if (isScalar(node)) return [String(node.value)];
  if (isSeq(node)) return node.items.map((item) => String(isScalar(item) ? item.value : item));
  return [];
}

/** Where the arrows of an output live: `next` for `next`, `on.<output>` for the others. */
function arrowPath(output: string): string[] {
  return output === 'next' ? ['next'] : ['on', output];
}

/** Adds a box (at the end of `boxes`). */
export function addBox(text: string, box: BoxLike): string {
  if (!BOX_ID.test(box.id)) throw new FlowEditError('BOX_ID_INVALID', `"${box.id}" is not a valid box id (letters, digits, - and _)`);
  return editDocument(text, (doc, boxes) => {
    if (boxes.items.some((item) => isMap(item) && String(item.get('id')) === box.id)) {
      throw new FlowEditError('BOX_ID_TAKEN', `a box "${box.id}" already exists`);
    }
    const { position, ...rest } = box;
    const node = doc.createNode(rest) as YAMLMap;
    if (position) node.set('position', positionNode(doc, position));
    boxes.items.push(node);
  });
}

function positionNode(doc: Document, position: { x: number; y: number }): Node {
  const node = doc.createNode({ x: Math.round(position.x), y: Math.round(position.y) }) as YAMLMap;
  node.flow = true; // `position: { x: 120, y: 40 }` keeps diffs of moves to one line
  return node;
}

/** Removes a box and every arrow that pointed to it. */
export function removeBoxes(text: string, ids: string[]): string {
  if (ids.length === 0) return text;
  const gone = new Set(ids);
  return editDocument(text, (doc, boxes) => {
    boxes.items = boxes.items.filter((item) => !(isMap(item) && gone.has(String(item.get('id')))));
    for (const item of boxes.items) {
      if (!isMap(item)) continue;
      const outputs = ['next', ...(isMap(item.get('on')) ? (item.get('on') as YAMLMap).items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key)) : [])];
      for (const output of outputs) for (const id of ids) removeTarget(item, output, id);
    }
    removeFromStart(doc, gone);
  });
}

function removeFromStart(doc: Document, gone: Set<string>) {
  const start = doc.get('start', true);
  if (!isSeq(start)) return;
  start.items = start.items.filter((item) => !gone.has(String(isScalar(item) ? item.value : item)));
}

/** Renames a box and every reference to it (arrows, `start`). */
export function renameBox(text: string, from: string, to: string): string {
  if (from === to) return text;
  if (!BOX_ID.test(to)) throw new FlowEditError('BOX_ID_INVALID', `"${to}" is not a valid box id (letters, digits, - and _)`);
  return editDocument(text, (doc, boxes) => {
    if (boxes.items.some((item) => isMap(item) && String(item.get('id')) === to)) {
      throw new FlowEditError('BOX_ID_TAKEN', `a box "${to}" already exists`);
    }
    setScalar(findBox(boxes, from), ['id'], to);
    const rename = (node: unknown) => {
      if (isScalar(node) && String(node.value) === from) node.value = to;
      if (isSeq(node)) node.items.forEach(rename);
    };
    for (const item of boxes.items) {
      if (!isMap(item)) continue;
      rename(item.get('next', true));
      const on = item.get('on', true);
      if (isMap(on)) on.items.forEach((pair) => rename(pair.value));
    }
    rename(doc.get('start', true));
  });
}

/** Sets (or, with `undefined`, removes) a value inside a box: `['text']`, `['links', 'Runbook']`. */
export function setBoxValue(text: string, id: string, path: (string | number)[], value: unknown): string {
  return editDocument(text, (doc, boxes) => {
    const box = findBox(boxes, id);
    if (value === undefined) return deleteIn(box, path);
    setIn(doc, box, path, value);
    keepPositionLast(box);
  });
}

/** `position` is canvas bookkeeping: settings added later go above it, so a box reads behaviour first. */
function keepPositionLast(box: YAMLMap) {
  const index = box.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === 'position');
  if (index === -1 || index === box.items.length - 1) return;
  const [pair] = box.items.splice(index, 1);
  box.items.push(pair!);
}

/** Sets (or removes) a flow-level value: `['name']`, `['trigger', 'match']`. */
export function setFlowValue(text: string, path: (string | number)[], value: unknown): string {
  return editDocument(text, (doc) => {
    const root = doc.contents as YAMLMap;
    if (value === undefined) return deleteIn(root, path);
    setIn(doc, root, path, value);
  });
}

/** Moves a box on the canvas (writes `position`). */
export function moveBox(text: string, id: string, position: { x: number; y: number }): string {
  return editDocument(text, (doc, boxes) => {
    const box = findBox(boxes, id);
    const current = box.get('position', true);
    if (isMap(current)) {
      setScalar(current, ['x'], Math.round(position.x));
      setScalar(current, ['y'], Math.round(position.y));
    } else {
      box.set('position', positionNode(doc, position));
    }
  });
}

/** Draws an arrow from a box's output to another box (no-op when it exists). */
export function addArrow(text: string, from: string, output: string, to: string): string {
  return editDocument(text, (doc, boxes) => {
    findBox(boxes, to);
    const box = findBox(boxes, from);
    const path = arrowPath(output);
    const current = box.getIn(path, true);
    const targets = targetList(current);
    if (targets.includes(to)) return;
    if (targets.length === 0) {
      setIn(doc, box, path, to);
      return;
    }
    if (isSeq(current)) {
      current.items.push(doc.createNode(to));
      return;
    }
    // A second arrow from one output runs both boxes in parallel: the scalar becomes a list.
    const list = doc.createNode([...targets, to]) as YAMLSeq;
    list.flow = true;
    box.setIn(path, list);
  });
}

/** Removes one arrow; an output with no arrows left disappears from the file. */
export function removeArrow(text: string, from: string, output: string, to: string): string {
  return editDocument(text, (_doc, boxes) => removeTarget(findBox(boxes, from), output, to));
}

function removeTarget(box: YAMLMap, output: string, to: string) {
  const path = arrowPath(output);
  const current = box.getIn(path, true);
  if (isScalar(current) && String(current.value) === to) box.deleteIn(path);
  else if (isSeq(current)) {
    current.items = current.items.filter((item) => String(isScalar(item) ? item.value : item) !== to);
    if (current.items.length === 1) box.setIn(path, current.items[0]);
    if (current.items.length === 0) box.deleteIn(path);
  }
  const on = box.get('on', true);
  if (output !== 'next' && isMap(on) && on.items.length === 0) box.delete('on');
}

function setScalar(map: YAMLMap, path: (string | number)[], value: unknown) {
  const node = map.getIn(path, true);
  // Changing the value of the existing scalar keeps its comment and quoting style.
  if (isScalar(node) && (value === null || typeof value !== 'object')) node.value = value;
  else map.setIn(path, value);
}

function setIn(doc: Document, map: YAMLMap, path: (string | number)[], value: unknown) {
  const node = map.getIn(path, true);
  if (isScalar(node) && (value === null || typeof value !== 'object')) {
    node.value = value;
    if (typeof value === 'string' && value.includes('\n') && node.type !== Scalar.BLOCK_LITERAL) node.type = Scalar.BLOCK_LITERAL;
    return;
  }
  const created = doc.createNode(value);
  if (typeof value === 'string' && value.includes('\n') && isScalar(created)) created.type = Scalar.BLOCK_LITERAL;
  map.setIn(path, created);
}

function deleteIn(map: YAMLMap, path: (string | number)[]) {
  map.deleteIn(path);
  // Leave no empty `match: {}` or `links: {}` behind.
  for (let depth = path.length - 1; depth > 0; depth--) {
    const parent = map.getIn(path.slice(0, depth), true);
    if ((isMap(parent) || isSeq(parent)) && parent.items.length === 0) map.deleteIn(path.slice(0, depth));
    else break;
  }
}

/** A box id not used yet, made from the type: `post`, `post-2`, … */
export function freeBoxId(flow: FlowLike | undefined, type: string): string {
  const base =
    type
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'box';
  const taken = new Set((flow?.boxes ?? []).map((box) => box.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
