import { EchoTag, Output, TypeGuards, Value, toValue, toValueSync, type Context, type Template } from 'liquidjs';
import { escapeValue } from './escape-value.js';
import type { EscapeMode } from './render.js';
import { escapeForShellContext, isRefusedShellContext, REFUSED_SHELL_CONTEXTS, shellContexts, type RefusedShellContext, type ShellContext } from './shell-context.js';
import { escapeForJsonContext, jsonContexts, type JsonContext } from './json-context.js';
import { stringifyValue } from './stringify-value.js';
import { TEMPLATE_ERROR_CODES, TemplateError } from './template-error.js';
import { ESCAPING_FILTERS } from './template-filters.js';

/** What one render collects; kept in the Liquid context's registers, which templates cannot read. */
export interface RenderState {
  mode: EscapeMode;
  missing: { path: string; offset: number }[];
  sources: { path: string; value: string }[];
}

/** The register key of the render state. */
export const RENDER_STATE = 'sidekick:render-state';

/** The visible stand-in for a value that is not there. */
export function markMissing(path: string): string {
  return `⟨missing: ${path}⟩`;
}

/** Every template node, depth first, including those inside tags (if, for, case, capture, liquid). */
export function* eachTemplate(templates: Template[]): Generator<Template> {
  for (const template of templates) {
    yield template;
    if (template.children) yield* eachTemplate(toValueSync(template.children(false, true)));
  }
}

const guarded = new WeakSet<Value>();

/**
 * Makes every `{{ … }}` and `{% echo %}` in parsed templates escape its value for the render's mode,
 * show missing values as markers and report where each value came from. Done once per parse; the
 * rendering itself stays Liquid's, single pass, so a `{{ … }}` inside a value is never evaluated.
 */
export function guardOutputs(templates: Template[], source: string): void {
  let shell: Map<number, ShellContext | RefusedShellContext> | undefined;
  let json: Map<number, JsonContext> | undefined;
  // Only shell and JSON renders need the contexts, computed once per parsed template.
  const places: Places = {
    shell: (offset) => placeAt((shell ??= shellContexts(source)), offset, 'unquoted'),
    json: (offset) => placeAt((json ??= jsonContexts(source)), offset, 'string'),
  };
  for (const template of eachTemplate(templates)) {
    if (!(template instanceof Output) && !(template instanceof EchoTag)) continue;
    const value = (template as { value?: unknown }).value;
    if (value instanceof Value && !guarded.has(value)) {
      guardValue(value, expressionText(template), template.token.begin, places);
      guarded.add(value);
    }
  }
}

interface Places {
  shell(offset: number): ShellContext | RefusedShellContext;
  json(offset: number): JsonContext;
}

/** The context of the piece that starts at or most closely before `offset`: an echo inside a liquid tag is the tag's. */
function placeAt<C>(contexts: Map<number, C>, offset: number, fallback: C): C {
  let found = fallback;
  let at = -1;
  for (const [start, context] of contexts) if (start <= offset && start > at) [at, found] = [start, context];
  return found;
}

function expressionText(template: Output | EchoTag): string {
  return (template instanceof EchoTag ? template.token.args : template.token.content).trim();
}

function guardValue(value: Value, expression: string, offset: number, places: Places): void {
  const unguarded = value.value.bind(value);
  const initial = value.initial.postfix.length === 1 ? value.initial.postfix[0] : undefined;
  const path = initial && TypeGuards.isPropertyAccessToken(initial) ? initial.getText() : undefined;
  const names = value.filters.map((filter) => filter.name);
  const last = value.filters.at(-1);
  const hasDefault = names.includes('default');
  // Like Liquid's own outputEscape: only a trailing `raw` opts out, so `{{ x | raw | append: y }}`
  // still escapes y.
  const raw = last?.raw === true;
  const source = stripEscapingFilters(expression);

  value.value = function* guardedValue(ctx: Context, lenient?: boolean): Generator<unknown, unknown, unknown> {
    const state = ctx.getRegister<RenderState | undefined>(RENDER_STATE);
    if (!state) return yield* unguarded(ctx, lenient);
    const show = (text: string, value: unknown = text): string => {
      if (raw) return text;
      const selfEscaped = last !== undefined && (ESCAPING_FILTERS as Record<string, string>)[last.name] === state.mode;
      if (state.mode === 'json') {
        const context = places.json(offset);
        if (context === 'escaped') {
          throw new TemplateError(TEMPLATE_ERROR_CODES.jsonContext, 'a value cannot go right after a backslash in a JSON string', offset);
        }
        // `| json` writes a JSON value; inside a string it is string content like any other text.
        return context === 'value' && last?.name === 'json' ? text : escapeForJsonContext(value, text, context);
      }
      if (state.mode !== 'shell') return selfEscaped ? text : escapeValue(text, state.mode);
      // In a command the quoting the value lands in decides: `| shell` output is a quoted word,
      // which is only right where a bare word goes; inside "…" its $(…) would still run.
      const context = places.shell(offset);
      if (isRefusedShellContext(context)) {
        throw new TemplateError(TEMPLATE_ERROR_CODES.shellContext, `a value cannot go ${REFUSED_SHELL_CONTEXTS[context]} in a command; put it where a word or a "…" or '…' string goes`, offset);
      }
      return selfEscaped && context === 'unquoted' ? text : escapeForShellContext(text, context);
    };
    const missing = (what: string): string => {
      if (!state.missing.some((m) => m.path === what)) state.missing.push({ path: what, offset });
      return show(markMissing(what));
    };

    let current: unknown = yield value.initial.evaluate(ctx, lenient);
    const absent = path !== undefined && (current === undefined || current === null);
    if (absent && !hasDefault) return missing(path);
    for (const filter of value.filters) current = yield filter.render(current, ctx);
    current = toValue(current);
    if ((current === undefined || current === null) && !hasDefault) return missing(source);

    const text = stringifyValue(current);
    // A value that came from `default` is the template's own, not the payload's.
    if (path !== undefined && !absent && !state.sources.some((s) => s.path === source && s.value === text)) {
      state.sources.push({ path: source, value: text });
    }
    return show(text, current);
  };
}

/** `alert.raw.host | shell` → `alert.raw.host`: the escaping says where it goes, not where it came from. */
function stripEscapingFilters(expression: string): string {
  let text = expression;
  for (;;) {
    const stripped = text.replace(/\s*\|\s*(?:raw|shell|url)\s*$/, '');
    if (stripped === text) return text;
    text = stripped;
  }
}
