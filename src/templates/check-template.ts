import { query } from 'jsonpath-rfc9535';
import { TypeGuards, Value, type Template } from 'liquidjs';
import { eachTemplate } from './guard-outputs.js';
import { liquid, parseTemplate } from './parse-template.js';
import type { TemplateProblem } from './render.js';
import { collectRender } from './render-template.js';
import { TemplateError } from './template-error.js';

type Segments = Array<string | number | Segments>;

/**
 * Finds what is wrong with a template before it runs: parse errors and unknown filters (with
 * offset), malformed JSONPath expressions, and — given a sample scope — variables whose root the
 * scope lacks and outputs whose value the sample does not have (unless guarded by `default`).
 * @example checkTemplate('{{ alert.raw.host | nope }}') // [{ message: 'undefined filter: nope…', offset: 0 }]
 */
export function checkTemplate(source: string, sampleScope?: Record<string, unknown>): TemplateProblem[] {
  let templates: Template[];
  try {
    templates = parseTemplate(source);
  } catch (error) {
    return [problemOf(error)];
  }
  const problems = checkJsonPaths(templates);
  if (!sampleScope) return problems;

  const unknownRoots = new Set<string>();
  for (const [root, uses] of Object.entries(liquid.analyzeSync(templates).globals)) {
    if (Object.prototype.hasOwnProperty.call(sampleScope, root)) continue;
    unknownRoots.add(root);
    const known = Object.keys(sampleScope).join(', ');
    const offset = offsetOf(source, uses[0]?.location);
    problems.push({ message: `unknown variable "${root}"; the scope has ${known || 'nothing'}`, path: root, ...offset });
  }
  const rendered = collectRender(templates, sampleScope, 'plain', true);
  for (const { path, offset } of rendered.missingAt) {
    if (unknownRoots.has(rootOf(path))) continue;
    problems.push({ message: `${path} is missing in the sample; add \`| default: …\` if it may be absent`, offset, path });
  }
  const reported = new Set(problems.map((p) => p.offset));
  // A malformed JSONPath already reported statically fails the render again at the same place.
  problems.push(...rendered.errors.map(problemOf).filter((p) => p.offset === undefined || !reported.has(p.offset)));
  return problems.sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity));
}

/**
 * The variable paths a template reads from its scope, each once, grouped by root in order of first
 * use (as Liquid's analysis gives them), written as a flow author would
 * (`alert.labels["kube-namespace"]`). Loop variables and assigned names are left out. An
 * unparsable template reads nothing.
 */
export function variablesOf(source: string): string[] {
  let templates: Template[];
  try {
    templates = parseTemplate(source);
  } catch {
    return [];
  }
  const paths = liquid.globalVariableSegmentsSync(templates).map((segments) => formatPath(segments as Segments));
  return [...new Set(paths)];
}

/** `['alert', 'labels', 'kube-namespace', 0]` → `alert.labels["kube-namespace"][0]`. */
export function formatPath(segments: Segments): string {
  return segments
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (Array.isArray(segment)) return `[${formatPath(segment)}]`;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

function checkJsonPaths(templates: Template[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const template of eachTemplate(templates)) {
    for (const argument of template.arguments?.() ?? []) {
      if (!(argument instanceof Value)) continue;
      for (const filter of argument.filters) {
        if (filter.name !== 'jsonpath' && filter.name !== 'jsonpath_all') continue;
        const expression = filter.args[0];
        if (expression === undefined || Array.isArray(expression)) {
          problems.push({ message: `${filter.name} needs an expression, such as '$.tags[0]'`, offset: template.token.begin });
        } else if (TypeGuards.isQuotedToken(expression)) {
          try {
            query({}, expression.content);
          } catch (error) {
            const why = error instanceof Error ? error.message : String(error);
            problems.push({ message: `invalid JSONPath ${JSON.stringify(expression.content)}: ${why}`, offset: template.token.begin });
          }
        }
      }
    }
  }
  return problems;
}

function problemOf(error: unknown): TemplateProblem {
  if (error instanceof TemplateError) {
    return error.offset === undefined ? { message: error.message } : { message: error.message, offset: error.offset };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

function rootOf(path: string): string {
  return /^[^.[\s|]+/.exec(path)?.[0] ?? path;
}

/** Liquid's analysis reports rows and columns (1-based); problems use offsets. */
function offsetOf(source: string, location?: { row: number; col: number }): { offset?: number } {
  if (!location) return {};
  const lines = source.split('\n');
  const before = lines.slice(0, location.row - 1).reduce((sum, line) => sum + line.length + 1, 0);
  return { offset: before + location.col - 1 };
}
