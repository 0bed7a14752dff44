import { arrowsOf, startBoxes, BOX_BASE_KEYS, type FlowDefinition } from './flow-schema.js';
import { didYouMean, type FlowProblem } from './flow-problem.js';
import { getBoxType } from '../boxes/registry.js';
import { checkTemplate, variablesOf } from '../templates/render.js';
import { urlTemplateOrigin } from '../templates/url-template.js';
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
 * outputs a box does not have, unreachable boxes, choices without arrows, templates that do not
 * parse or read variables the sample alert lacks, and `boxes.<id>` read before that box ran.
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
    const outputs = boxType ? boxType.outputs(settingsOf(box)) : undefined;
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
    if (box.type === 'ask' && outputs) {
      const wired = new Set(arrowsOf(box).map((arrow) => arrow.output));
      for (const output of outputs.filter((o) => !wired.has(o))) {
        add('FLOW_CHOICE_WITHOUT_ARROW', `choice "${output}" of box "${box.id}" leads nowhere; the run ends there`, ['boxes', i], box.id, 'warning');
      }
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
    const checkOne = (source: string, path: (string | number)[]) => {
      for (const problem of checkTemplate(source, options.sampleScope)) {
        // Box outputs exist only at run time; whether the box runs before is checked below.
        if (problem.path === 'boxes' || problem.path?.startsWith('boxes.')) continue;
        add('FLOW_TEMPLATE', `box "${box.id}": ${problem.message}`, path, box.id);
      }
      for (const variable of variablesOf(source)) {
        const match = /^boxes\.([A-Za-z0-9_-]+)/.exec(variable);
        if (match && !before.has(match[1]!) && !before.has(match[1]!.replace(/_/g, '-'))) {
          add('FLOW_BOX_NOT_BEFORE', `box "${box.id}" reads ${variable}, but box "${match[1]}" does not run before it`, path, box.id);
        }
      }
    };
    for (const [key, value] of Object.entries(box)) {
      if ((BOX_BASE_KEYS as readonly string[]).includes(key)) continue;
      const templated = key in boxType.templates || ['links', 'headers', 'set'].includes(key);
      if (!templated) continue;
      forEachString(value, (text, sub) => checkOne(text, ['boxes', i, key, ...sub]));
    }
    if (box.type === 'http-request' && typeof box.url === 'string') {
      for (const value of urlTemplateOrigin(box.url).hostValues.filter((v) => !v.raw)) {
        add(
          'FLOW_URL_HOST_FROM_VALUE',
          `box "${box.id}": ${value.text} forms the scheme, host or port of the url, so the data would choose where the request goes; write them in the template, or mark a trusted value (never alert data) with | raw`,
          ['boxes', i, 'url'],
          box.id,
        );
      }
    }
    if (box.type === 'condition' && typeof box.when === 'string') {
      checkOne(`{% if ${box.when} %}{% endif %}`, ['boxes', i, 'when']);
    }
    if (box.type === 'playbook' && typeof box.playbook === 'string' && options.playbooks) {
      const playbook = options.playbooks.get(box.playbook);
      if (!playbook) {
        const known = options.playbooks.list().map((p) => p.id);
        add('FLOW_UNKNOWN_PLAYBOOK', `playbook "${box.playbook}" is not in playbooks/${didYouMean(box.playbook, known)}`, ['boxes', i, 'playbook'], box.id);
      } else if (options.sampleScope) {
        for (const page of playbook.pages) {
          for (const content of page.content) {
            const source = content.kind === 'command' ? content.template : content.text;
            for (const problem of checkTemplate(source, options.sampleScope)) {
              add('FLOW_TEMPLATE', `playbook ${playbook.id} (${playbook.file}:${content.line}): ${problem.message}`, ['boxes', i, 'playbook'], box.id);
            }
          }
        }
      }
    }
  });
  return problems;
}

function settingsOf(box: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(box).filter(([key]) => !(BOX_BASE_KEYS as readonly string[]).includes(key)));
}

function forEachString(value: unknown, visit: (text: string, path: (string | number)[]) => void, path: (string | number)[] = []): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => forEachString(item, visit, [...path, i]));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) forEachString(item, visit, [...path, key]);
}
