import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { flowSchema, type FlowDefinition } from './flow-schema.js';
import { settingsOf } from './flow-graph.js';
import type { FlowProblem } from './flow-problem.js';
import { didYouMean } from './flow-problem.js';
import { getBoxType, boxTypeNames } from '../boxes/registry.js';

/** A parsed flow file with a way to find the line of any path in it. */
export interface ParsedFlow {
  flow?: FlowDefinition;
  problems: FlowProblem[];
  /** 1-based line of a path such as ['boxes', 2, 'text']; the closest existing parent otherwise. */
  lineOf(path: readonly (string | number)[]): number;
}

const MAX_FLOW_BYTES = 1024 * 1024;

/** Parses and schema-checks one flow file. Never throws: everything wrong becomes a problem with a line. */
export function parseFlow(text: string, file: string): ParsedFlow {
  const lineCounter = new LineCounter();
  const problems: FlowProblem[] = [];
  const problem = (code: string, message: string, line: number, extra: Partial<FlowProblem> = {}) => problems.push({ code, message, file, line, severity: 'error', ...extra });

  if (text.length > MAX_FLOW_BYTES) {
    problem('FLOW_TOO_LARGE', `the file is ${text.length} bytes; a flow may be at most ${MAX_FLOW_BYTES}`, 1);
    return { problems, lineOf: () => 1 };
  }
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineOf = (path: readonly (string | number)[]) => locate(doc, lineCounter, path);
  for (const error of doc.errors) {
    const at = lineCounter.linePos(error.pos[0]);
    problem('FLOW_YAML', error.message.split('\n')[0]!, at.line, { column: at.col });
  }
  // Unknown tags (!!js/function, !custom) are only warnings to the yaml library; here they are errors.
  for (const warning of doc.warnings) {
    const at = lineCounter.linePos(warning.pos[0]);
    problem('FLOW_YAML', warning.message.split('\n')[0]!, at.line, { column: at.col });
  }
  if (problems.length > 0) return { problems, lineOf };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    problem('FLOW_YAML', (error as Error).message, 1);
    return { problems, lineOf };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problem('FLOW_NOT_A_MAPPING', 'a flow file is a mapping with id, trigger and boxes', 1);
    return { problems, lineOf };
  }

  const parsed = flowSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path as (string | number)[];
      problem('FLOW_SCHEMA', `${path.join('.') || 'flow'}: ${issue.message}`, lineOf(path), boxIdAt(data, path));
    }
    return { problems, lineOf };
  }
  const flow = parsed.data as FlowDefinition;

  flow.boxes.forEach((box, index) => {
    const boxType = getBoxType(box.type);
    if (!boxType) {
      problem('FLOW_UNKNOWN_BOX', `box type "${box.type}" is not known${didYouMean(box.type, boxTypeNames())}`, lineOf(['boxes', index, 'type']), { boxId: box.id });
      return;
    }
    const checked = boxType.settings.safeParse(settingsOf(box));
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const path = ['boxes', index, ...(issue.path as (string | number)[])];
        const key = issue.path.join('.');
        problem('FLOW_BOX_SETTINGS', `box "${box.id}" (${box.type})${key ? ` setting "${key}"` : ''}: ${issue.message}`, lineOf(issue.path.length ? path : ['boxes', index]), { boxId: box.id });
      }
    } else {
      // Keep the defaults zod filled in, so the engine reads settings exactly as validated.
      Object.assign(box, checked.data);
    }
  });
  return { flow, problems, lineOf };
}

function boxIdAt(data: unknown, path: (string | number)[]): Partial<FlowProblem> {
  if (path[0] !== 'boxes' || typeof path[1] !== 'number') return {};
  const box = (data as { boxes?: { id?: unknown }[] }).boxes?.[path[1]];
  return typeof box?.id === 'string' ? { boxId: box.id } : {};
}

function locate(doc: Document, lineCounter: LineCounter, path: readonly (string | number)[]): number {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return 1;
}
