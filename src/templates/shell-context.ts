import { quoteShell } from './escape-value.js';
import { flattenLiquid, PLACEHOLDER } from './liquid-pieces.js';

/**
 * Where a `{{ … }}` lands in a shell command, read from the template's literal text before it:
 * - `unquoted`: a bare word (`ssh {{ host }}`, `--opt={{ v }}`); the value becomes one quoted word.
 * - `double`: inside `"…"`; `\`, `"`, `$` and backquote are backslash-escaped.
 * - `single`: inside `'…'`; each `'` becomes `'\''` (close, escaped quote, reopen).
 * - `comment`: after `#`; line breaks become spaces so the value cannot end the comment.
 * The other places have rules of their own and are refused: `$'…'`, backquotes, heredoc bodies,
 * `${…}`, `$((…))`, right after a backslash (which would escape the value's first character) and
 * right after a `$` (which would make the value a parameter or `$(…)`).
 */
export type ShellContext = 'unquoted' | 'double' | 'single' | 'comment';
export type RefusedShellContext = 'ansi-c' | 'backtick' | 'heredoc' | 'expansion' | 'arithmetic' | 'escaped' | 'dollar';

/** Why each refused place is refused, in words for the author. */
export const REFUSED_SHELL_CONTEXTS: Record<RefusedShellContext, string> = {
  'ansi-c': "inside $'…' quoting",
  backtick: 'inside `…` command substitution',
  heredoc: 'inside a heredoc',
  expansion: 'inside ${…}',
  arithmetic: 'inside $((…))',
  escaped: 'right after a backslash',
  dollar: 'right after a $',
};

export function isRefusedShellContext(context: ShellContext | RefusedShellContext): context is RefusedShellContext {
  return context in REFUSED_SHELL_CONTEXTS;
}

/**
 * Escapes a value for the quoting it lands in. NUL cannot travel in an argument, so it is dropped.
 * @example escapeForShellContext('$(reboot)', 'double') // \$(reboot)
 */
export function escapeForShellContext(value: string, context: ShellContext): string {
  const text = value.includes('\0') ? value.replaceAll('\0', '') : value;
  switch (context) {
    case 'unquoted':
      return quoteShell(text);
    case 'double':
      return text.replace(/[\\"$`]/g, (c) => `\\${c}`);
    case 'single':
      return text.replaceAll("'", `'\\''`);
    case 'comment':
      return text.replace(/[\r\n]/g, ' ');
  }
}

/**
 * A quoting or substitution being read. `depth` counts the brackets of the kind that closes the
 * frame (`(` for the command and `$(…)`, `$((…))`; `{` for `${…}`) opened inside it and not yet closed.
 */
type Frame = { kind: 'unquoted' | 'expansion' | 'arithmetic'; depth: number } | { kind: 'double' | 'single' | 'ansi-c' | 'backtick' | 'comment' };

const WORD_BREAK = /[\s;&|()<>]/;

/**
 * The quoting context at every Liquid output and tag of a shell template, keyed by the offset of
 * its `{{` or `{%` in the source. The literal text is scanned as bash reads it; each Liquid piece
 * counts as part of a word.
 * @example shellContexts(`echo "{{ v }}"`).get(6) // 'double'
 */
export function shellContexts(source: string): Map<number, ShellContext | RefusedShellContext> {
  const { flat, pieces } = flattenLiquid(source);
  return scan(
    flat,
    pieces.map((piece) => piece.offset),
  );
}

function scan(text: string, offsets: number[]): Map<number, ShellContext | RefusedShellContext> {
  const contexts = new Map<number, ShellContext | RefusedShellContext>();
  const stack: Frame[] = [{ kind: 'unquoted', depth: 0 }];
  const heredocs: { delimiter: string; stripTabs: boolean }[] = [];
  let placeholder = 0;
  const record = (context: ShellContext | RefusedShellContext) => {
    const offset = offsets[placeholder++];
    if (offset !== undefined) contexts.set(offset, context);
  };
  const contextNow = (): ShellContext | RefusedShellContext => {
    for (const frame of stack) {
      if (frame.kind === 'backtick' || frame.kind === 'ansi-c' || frame.kind === 'expansion' || frame.kind === 'arithmetic') return frame.kind;
    }
    const top = stack[stack.length - 1]!;
    return top.kind as ShellContext;
  };

  // Outside single quotes a backslash escapes the next character and `$` before a value makes it
  // part of a parameter name: both record what the value would become; answers the width to skip.
  const markedValue = (c: string, next: string | undefined): number => {
    if (c === '\\') {
      if (next === PLACEHOLDER) record('escaped');
      return 2;
    }
    if (c === '$' && next === PLACEHOLDER) {
      record('dollar');
      return 2;
    }
    return 0;
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    const top = stack[stack.length - 1]!;
    if (c === PLACEHOLDER) {
      record(contextNow());
      i += 1;
      continue;
    }
    switch (top.kind) {
      case 'unquoted': {
        const marked = markedValue(c, next);
        if (marked > 0) {
          i += marked;
          continue;
        }
        const opening = openingAt(text, i, false);
        if (opening) {
          stack.push(opening.frame);
          i += opening.width;
          continue;
        }
        if (closesFrame(top, c, '(', ')')) {
          if (stack.length > 1) stack.pop();
        } else if (c === '#' && (i === 0 || WORD_BREAK.test(text[i - 1]!))) stack.push({ kind: 'comment' });
        else if (c === '<' && next === '<' && text[i + 2] !== '<') {
          i = readHeredocOperator(text, i + 2, heredocs);
          continue;
        } else if (c === '\n' && heredocs.length > 0) {
          i = skipHeredocBodies(text, i + 1, heredocs.splice(0), () => record('heredoc'));
          continue;
        }
        i += 1;
        continue;
      }
      case 'double': {
        const marked = markedValue(c, next);
        if (marked > 0) {
          i += marked;
          continue;
        }
        if (c === '"') {
          stack.pop();
          i += 1;
          continue;
        }
        const opening = openingAt(text, i, true);
        if (opening) stack.push(opening.frame);
        i += opening?.width ?? 1;
        continue;
      }
      case 'single':
        if (c === "'") stack.pop();
        i += 1;
        continue;
      case 'ansi-c':
      case 'backtick':
        if (c === '\\') {
          if (next === PLACEHOLDER) record(top.kind);
          i += 2;
          continue;
        }
        if (c === (top.kind === 'ansi-c' ? "'" : '`')) stack.pop();
        i += 1;
        continue;
      case 'comment':
        if (c === '\n') {
          stack.pop();
          continue;
        }
        i += 1;
        continue;
      case 'expansion':
        if (closesFrame(top, c, '{', '}')) stack.pop();
        i += 1;
        continue;
      case 'arithmetic':
        // `))` closes it; a lone `)` with nothing open inside is read past.
        if (closesFrame(top, c, '(', ')') && next === ')') {
          stack.pop();
          i += 1;
        }
        i += 1;
        continue;
    }
  }
  return contexts;
}

/**
 * Follows the brackets nested in `frame`: `open` goes one deeper, `close` one back out. True when
 * `c` is a `close` with nothing open inside, the one that would close the frame itself.
 */
function closesFrame(frame: { depth: number }, c: string, open: string, close: string): boolean {
  if (c === open) frame.depth += 1;
  else if (c === close) {
    if (frame.depth === 0) return true;
    frame.depth -= 1;
  }
  return false;
}

/**
 * A quoting or substitution that opens at `i`, and how many characters open it. Inside `"…"` only
 * substitutions open; quotes are literal there.
 */
function openingAt(text: string, i: number, inDouble: boolean): { frame: Frame; width: number } | undefined {
  const c = text[i];
  const next = text[i + 1];
  if (c === '`') return { frame: { kind: 'backtick' }, width: 1 };
  if (c === '$' && next === '(' && text[i + 2] === '(') return { frame: { kind: 'arithmetic', depth: 0 }, width: 3 };
  if (c === '$' && next === '(') return { frame: { kind: 'unquoted', depth: 0 }, width: 2 };
  if (c === '$' && next === '{') return { frame: { kind: 'expansion', depth: 0 }, width: 2 };
  if (inDouble) return undefined;
  if (c === "'") return { frame: { kind: 'single' }, width: 1 };
  if (c === '"') return { frame: { kind: 'double' }, width: 1 };
  if (c === '$' && next === "'") return { frame: { kind: 'ansi-c' }, width: 2 };
  if (c === '$' && next === '"') return { frame: { kind: 'double' }, width: 2 };
  return undefined;
}

/** Reads `-WORD`, `'WORD'`, `"WORD"` or `\WORD` after `<<`; returns where the scan goes on. */
function readHeredocOperator(text: string, start: number, heredocs: { delimiter: string; stripTabs: boolean }[]): number {
  let i = start;
  const stripTabs = text[i] === '-';
  if (stripTabs) i += 1;
  while (text[i] === ' ' || text[i] === '\t') i += 1;
  const word = /^(?:'([^']*)'|"([^"]*)"|\\?([^\s;&|()<>'"]+))/.exec(text.slice(i));
  if (!word) return i;
  const delimiter = word[1] ?? word[2] ?? word[3] ?? '';
  heredocs.push({ delimiter: delimiter.replaceAll(PLACEHOLDER, ''), stripTabs });
  return i + word[0].length;
}

/** Skips the bodies of pending heredocs line by line; every Liquid piece in them is reported. */
function skipHeredocBodies(text: string, start: number, heredocs: { delimiter: string; stripTabs: boolean }[], found: () => void): number {
  let i = start;
  for (const heredoc of heredocs) {
    while (i < text.length) {
      const end = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
      const line = text.slice(i, end);
      for (const c of line) if (c === PLACEHOLDER) found();
      i = end + 1;
      if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter) break;
    }
  }
  return i;
}
