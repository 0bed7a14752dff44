import type { FlowDefinition } from './flow-schema.js';
import { arrowsOf, outputsFor, settingsOf, startBoxes } from './flow-graph.js';
import { didYouMean, type FlowProblem } from './flow-problem.js';
import { getBoxType } from '../boxes/registry.js';
import { templatesOf } from '../boxes/box-templates.js';
import type { BoxFinding } from '../boxes/box-type.js';
import { checkTemplate, variablesOf } from '../templates/render.js';
import type { PlaybookLibrary } from '../playbooks/playbook.js';

export interface InspectOptions {
  file: string;
  lineOf(path: readonly (string | number)[]): number;
  playbooks?: PlaybookLibrary;
  /** The scope built from the flow's sample alert: with it, a misspelled variable is an error. */
  sampleScope?: Record<string, unknown>;
}

/**
 * Static checks of a schema-valid flow, before it ever runs: arrows to boxes that do not exist,
 * outputs a box does not have, unreachable boxes, templates that do not parse or read variables
 * the sample alert lacks, and `boxes.<id>` read before that box ran. Each box type adds its own
 * checks through `inspect` (an ask's choices without arrows, a playbook that does not exist).
 */
export function inspectFlow(flow: FlowDefinition, options: InspectOptions): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const { file, lineOf } = options;
  const add = (code: string, message: string, path: (string | number)[], boxId?: string, severity: FlowProblem['severity'] = 'error') =>
    problems.push({ code, message, file, line: lineOf(path), boxId, severity });

  const ids = flow.boxes.map((box) => box.id);
  const index = new Map<string, number>();
  flow.boxes.forEach((box, i) => {
    if (index.has(box.id)) add('FLOW_DUPLICATE_BOX', `box id "${box.id}" is used twice; ids must be unique`, ['boxes', i, 'id'], box.id);
    else index.set(box.id, i);
  });

  for (const [i, start] of (flow.start ?? []).entries()) {
    if (!index.has(start)) add('FLOW_UNKNOWN_TARGET', `start box "${start}" does not exist${didYouMean(start, ids)}`, ['start', i]);
  }

  const incoming = new Map<string, Set<string>>();
  flow.boxes.forEach((box, i) => {
    const boxType = getBoxType(box.type);
    const outputs = boxType ? outputsFor(boxType.outputs, settingsOf(box)) : undefined;
    for (const arrow of arrowsOf(box)) {
      const path = arrow.output === 'next' ? ['boxes', i, 'next'] : ['boxes', i, 'on', arrow.output];
      if (!index.has(arrow.to)) {
        add('FLOW_UNKNOWN_TARGET', `box "${box.id}" points to "${arrow.to}", which does not exist${didYouMean(arrow.to, ids)}`, path, box.id);
        continue;
      }
      if (outputs && arrow.output !== 'error' && !outputs.includes(arrow.output)) {
        add('FLOW_UNKNOWN_OUTPUT', `box "${box.id}" (${box.type}) has no output "${arrow.output}"; its outputs are ${outputs.join(', ') || 'none'}${didYouMean(arrow.output, outputs)}`, path, box.id);
      }
      if (!incoming.has(arrow.to)) incoming.set(arrow.to, new Set());
      incoming.get(arrow.to)!.add(box.id);
    }
  });

  const starts = startBoxes(flow);
  if (starts.length === 0) add('FLOW_NO_START', 'every box has an arrow pointing to it, so nothing starts the run; name the first boxes in `start`', ['boxes']);
  const reachable = new Set<string>();
  const queue = starts.filter((id) => index.has(id));
  while (queue.length) {
    const id = queue.pop()!;
    if (reachable.has(id)) continue;
    reachable.add(id);
    const box = flow.boxes[index.get(id)!]!;
    for (const arrow of arrowsOf(box)) if (index.has(arrow.to)) queue.push(arrow.to);
  }
  flow.boxes.forEach((box, i) => {
    if (!reachable.has(box.id)) add('FLOW_UNREACHABLE', `box "${box.id}" can never run: no arrow from a start box leads to it`, ['boxes', i, 'id'], box.id, 'warning');
  });

  const upstream = (id: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(incoming.get(id) ?? [])];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(incoming.get(next) ?? []));
    }
    return seen;
  };

  flow.boxes.forEach((box, i) => {
    const boxType = getBoxType(box.type);
    if (!boxType) return;
    const before = upstream(box.id);
    // Template problems as findings of the box, so a box's own `inspect` can check more templates the same way.
    const checkBoxTemplate = (source: string, path: (string | number)[]): BoxFinding[] => {
      const findings: BoxFinding[] = [];
      for (const problem of checkTemplate(source, options.sampleScope)) {
        // Box outputs exist only at run time; whether the box runs before is checked below.
        if (problem.path === 'boxes' || problem.path?.startsWith('boxes.')) continue;
        findings.push({ code: 'FLOW_TEMPLATE', message: `box "${box.id}": ${problem.message}`, path });
      }
      for (const variable of variablesOf(source)) {
        const match = /^boxes\.([A-Za-z0-9_-]+)/.exec(variable);
        if (match && !before.has(match[1]!) && !before.has(match[1]!.replace(/_/g, '-'))) {
          findings.push({ code: 'FLOW_BOX_NOT_BEFORE', message: `box "${box.id}" reads ${variable}, but box "${match[1]}" does not run before it`, path });
        }
      }
      return findings;
    };
    const report = (findings: BoxFinding[]) => {
      for (const finding of findings) add(finding.code, finding.message, ['boxes', i, ...(finding.path ?? [])], box.id, finding.severity);
    };
    const settings = settingsOf(box);
    for (const key of templatesOf(boxType.settings).keys) {
      forEachString(settings[key], (text, sub) => report(checkBoxTemplate(text, [key, ...sub])));
    }
    // A box's own checks read its settings as its schema made them; invalid ones are reported by the parser.
    const valid = boxType.settings.safeParse(settings);
    if (boxType.inspect && valid.success) {
      report(
        boxType.inspect({
          box: { id: box.id, type: box.type },
          settings: valid.data,
          arrows: arrowsOf(box),
          outputs: outputsFor(boxType.outputs, settings),
          playbooks: options.playbooks,
          sampleScope: options.sampleScope,
          checkTemplate: checkBoxTemplate,
        }),
      );
    }
  });
  return problems;
}

function forEachString(value: unknown, visit: (text: string, path: (string | number)[]) => void, path: (string | number)[] = []): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => forEachString(item, visit, [...path, i]));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) forEachString(item, visit, [...path, key]);
}
