import { Context, toValueSync, type Emitter } from 'liquidjs';
import { TEMPLATE_LIMITS } from './create-liquid.js';
import { RENDER_STATE, type RenderState } from './guard-outputs.js';
import { liquid, parseTemplate, toTemplateError } from './parse-template.js';
import type { EscapeMode, RenderResult } from './render.js';
import { TEMPLATE_ERROR_CODES, TemplateError } from './template-error.js';

/** What a render returns when its output had to be cut. */
export interface TruncatedRenderResult extends RenderResult {
  truncated: true;
}

/** Appended where text output was cut at the length cap. */
export const TRUNCATED_MARKER = '⟨truncated⟩';

/**
 * Renders a template against a scope, escaping every `{{ … }}` for `mode` (only a trailing `| raw`
 * opts out). Missing values render as `⟨missing: path⟩` and never throw. Throws `TemplateError`
 * for a parse error (`TEMPLATE_PARSE`), a failing filter (`TEMPLATE_RENDER`), a breached limit
 * (`TEMPLATE_LIMIT`), or a shell command longer than the cap (`TEMPLATE_OUTPUT_TOO_LONG`); other
 * modes cut long output and set `truncated`.
 * @example renderTemplate('ssh {{ alert.raw.host }}', scope, 'shell').text // ssh 'db 7; reboot'
 */
export function renderTemplate(source: string, scope: Record<string, unknown>, mode: EscapeMode): RenderResult | TruncatedRenderResult {
  const templates = parseTemplate(source);
  const state = collectRender(templates, scope, mode);
  if (!state.overflowed) return { text: state.text, missing: state.missing, sources: state.sources };
  if (mode === 'shell') {
    // A command cut between two arguments could still run, doing part of what was meant.
    throw new TemplateError(TEMPLATE_ERROR_CODES.tooLong, `the command is longer than ${TEMPLATE_LIMITS.maxOutputChars} characters; interpolate less of the payload`);
  }
  return { text: state.text + TRUNCATED_MARKER, missing: state.missing, sources: state.sources, truncated: true };
}

/** What the guarded outputs recorded during one render. */
export interface CollectedRender extends RenderResult {
  overflowed: boolean;
  missingAt: RenderState['missing'];
  /** With `keepGoing`, every top-level failure; otherwise the first one is thrown. */
  errors: TemplateError[];
}

/**
 * Renders parsed templates and gathers what the guarded outputs recorded. `keepGoing` renders past
 * failing nodes (for `checkTemplate`, which wants every problem at once).
 */
export function collectRender(templates: ReturnType<typeof parseTemplate>, scope: Record<string, unknown>, mode: EscapeMode, keepGoing = false): CollectedRender {
  const state: RenderState = { mode, missing: [], sources: [] };
  const options = keepGoing ? { ...liquid.options, catchAllErrors: true } : liquid.options;
  // A shallow copy: `{% increment alert %}` writes to the top-level scope and must not reach the caller's.
  const ctx = new Context({ ...scope }, options, { sync: true }, { liquid });
  ctx.setRegister(RENDER_STATE, state);
  const emitter = new CappedEmitter(TEMPLATE_LIMITS.maxOutputChars);
  const errors: TemplateError[] = [];
  try {
    toValueSync(liquid.renderer.renderTemplates(templates, ctx, emitter));
  } catch (error) {
    if (emitter.overflowed) {
      // The cap is reported through `overflowed`; the error it caused says nothing more.
    } else if (!keepGoing) {
      throw toTemplateError(error, TEMPLATE_ERROR_CODES.render);
    } else {
      const all = (error as { errors?: unknown[] }).errors ?? [error];
      errors.push(...all.map((e) => toTemplateError(e, TEMPLATE_ERROR_CODES.render)));
    }
  }
  return {
    text: emitter.buffer,
    missing: state.missing.map((m) => m.path),
    missingAt: state.missing,
    sources: state.sources,
    overflowed: emitter.overflowed,
    errors,
  };
}

/** Collects output and stops the render as soon as it passes the cap, before a loop can bloat memory. */
class CappedEmitter implements Emitter {
  buffer = '';
  overflowed = false;

  constructor(private readonly cap: number) {}

  write(html: unknown): void {
    const text = typeof html === 'string' ? html : html === undefined || html === null ? '' : String(html);
    if (this.buffer.length + text.length <= this.cap) {
      this.buffer += text;
      return;
    }
    let end = this.cap - this.buffer.length;
    // Never split a surrogate pair: half an emoji is not valid text for chat.
    if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end -= 1;
    this.buffer += text.slice(0, end);
    this.overflowed = true;
    throw new Error('output limit reached');
  }
}
