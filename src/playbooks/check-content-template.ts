import { checkTemplate } from '../templates/render.js';
import { isRefusedShellContext, REFUSED_SHELL_CONTEXTS, shellContexts } from '../templates/shell-context.js';
import type { PlaybookProblem } from './playbook.js';
import { makeProblem, PLAYBOOK_PROBLEM_CODES as CODES } from './playbook-problems.js';
import { countNewlines } from './count-newlines.js';

/** Longest template error message kept; Liquid quotes the offending source, which may be huge. */
const MAX_DETAIL = 300;

/**
 * Reports Liquid that cannot run in one piece of page content (a paragraph, a list, a command
 * block), at the file line where it goes wrong. Each piece is rendered on its own, so a tag opened
 * in one paragraph and closed in the next is broken, and this is where the author learns it.
 */
export function checkContentTemplate(source: string, firstLine: number, file: string, problems: PlaybookProblem[]): void {
  if (!source.includes('{{') && !source.includes('{%')) return;
  for (const found of checkTemplate(source)) {
    const line = firstLine + countNewlines(source, found.offset ?? 0);
    const detail = found.message
      .replace(/^TEMPLATE_[A-Z_]+: /, '')
      .replace(/, line:\d+, col:\d+$/, '')
      .slice(0, MAX_DETAIL);
    const hint = /not closed|not found/.test(detail) ? ' A Liquid tag must open and close within one paragraph, list or command block.' : '';
    problems.push(makeProblem(file, line, CODES.badTemplate, `the template cannot run: ${detail}.${hint}`));
  }
}

/**
 * Reports every value placed in a command where no quoting makes it safe: inside `$'…'`,
 * backquotes, a heredoc, `${…}`, `$((…))` or right after a backslash or `$`. Values in bare words, `"…"`
 * and `'…'` are escaped for the quoting they land in; these places have rules of their own, so a
 * hostile alert value could still run code there.
 */
export function checkCommandQuoting(source: string, firstLine: number, file: string, problems: PlaybookProblem[]): void {
  if (!source.includes('{{') && !source.includes('{%')) return;
  for (const [offset, context] of shellContexts(source)) {
    if (!isRefusedShellContext(context)) continue;
    const line = firstLine + countNewlines(source, offset);
    problems.push(
      makeProblem(
        file,
        line,
        CODES.unsafeQuoting,
        `a value is placed ${REFUSED_SHELL_CONTEXTS[context]}, where it cannot be escaped; put it in a plain word, "…" or '…' (for example assign it first: host="{{ … }}").`,
      ),
    );
  }
}
