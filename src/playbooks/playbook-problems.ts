import type { PlaybookProblem } from './playbook.js';

/**
 * Stable codes of the problems found in playbooks. Authors search for them, tests assert on them,
 * and `sidekick validate` prints them, so they never change meaning.
 */
export const PLAYBOOK_PROBLEM_CODES = {
  noPages: 'PLAYBOOK_NO_PAGES',
  duplicatePage: 'PLAYBOOK_DUPLICATE_PAGE',
  unknownPage: 'PLAYBOOK_UNKNOWN_PAGE',
  unreachablePage: 'PLAYBOOK_UNREACHABLE_PAGE',
  emptyPage: 'PLAYBOOK_EMPTY_PAGE',
  longChoiceLabel: 'PLAYBOOK_LONG_CHOICE_LABEL',
  tooManyChoices: 'PLAYBOOK_TOO_MANY_CHOICES',
  unclosedFence: 'PLAYBOOK_UNCLOSED_FENCE',
  badTemplate: 'PLAYBOOK_BAD_TEMPLATE',
  unsafeQuoting: 'PLAYBOOK_UNSAFE_QUOTING',
  tooLarge: 'PLAYBOOK_TOO_LARGE',
  unreadable: 'PLAYBOOK_UNREADABLE',
  unparsable: 'PLAYBOOK_UNPARSABLE',
} as const;

/**
 * Codes that describe a playbook which still works as intended, only untidily.
 * `PlaybookProblem` has no severity field, so callers that need one ask here.
 */
const WARNING_CODES: ReadonlySet<string> = new Set([PLAYBOOK_PROBLEM_CODES.unreachablePage]);

/** Whether a problem is a warning (the playbook works) rather than an error (something is lost). */
export function isPlaybookWarning(problem: Pick<PlaybookProblem, 'code'>): boolean {
  return WARNING_CODES.has(problem.code);
}

/** Builds a problem; kept in one place so every problem has the same shape. */
export function makeProblem(file: string, line: number, code: string, message: string): PlaybookProblem {
  return { file, line: Math.max(1, line), code, message };
}
