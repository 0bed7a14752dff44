import type { Playbook, PlaybookPage } from './playbook.js';

/** One step taken: on `page`, `by` chose the choice leading to `choice`, labelled `label`, at `at`. */
export interface PlaybookStep {
  page: string;
  choice: string;
  label: string;
  by: string;
  at: string;
}

/** Where a responder is in a playbook and how they got there; stored as the playbook box's state. */
export interface PlaybookPathState {
  page: string;
  path: PlaybookStep[];
}

/** Separator of breadcrumb parts, as chat shows it. */
export const BREADCRUMB_SEPARATOR = ' › ';
/** Longest breadcrumb shown in full; longer ones keep the start and the last steps. */
const MAX_BREADCRUMB_PARTS = 6;

/** The state of a playbook just opened: on its start page, nothing chosen yet. */
export function startPath(playbook: Playbook): PlaybookPathState {
  return { page: playbook.startPage, path: [] };
}

/** The page the state is on, or undefined when the playbook changed and the page is gone. */
export function findCurrentPage(state: PlaybookPathState, playbook: Playbook): PlaybookPage | undefined {
  return playbook.pages.find((page) => page.id === state.page);
}

/**
 * Follows the current page's choice leading to `choiceTo`. Returns undefined when the current page
 * has no such choice — a click on a stale message or a forged value — so it changes nothing.
 */
export function choose(state: PlaybookPathState, playbook: Playbook, choiceTo: string, by: string, at: string): PlaybookPathState | undefined {
  const choice = findCurrentPage(state, playbook)?.choices.find((candidate) => candidate.to === choiceTo);
  if (!choice) return undefined;
  return { page: choice.to, path: [...state.path, { page: state.page, choice: choice.to, label: choice.label, by, at }] };
}

/** Goes back to the page before the last choice; at the start it stays where it is. */
export function back(state: PlaybookPathState): PlaybookPathState {
  const last = state.path[state.path.length - 1];
  if (!last) return state;
  return { page: last.page, path: state.path.slice(0, -1) };
}

/**
 * Where the responder is, as page titles from the start: `Start › Lag rising? › Check the tunnel`.
 * Pages missing from an edited playbook fall back to the label that was clicked, then to the id.
 */
export function breadcrumb(state: PlaybookPathState, playbook: Playbook): string {
  const titles = new Map(playbook.pages.map((page) => [page.id, page.title]));
  const nameOf = (id: string, label?: string): string => (id === playbook.startPage ? 'Start' : (titles.get(id) ?? label ?? id));
  const first = state.path[0]?.page ?? state.page;
  const parts = [nameOf(first), ...state.path.map((step) => nameOf(step.choice, step.label))];
  if (parts.length > MAX_BREADCRUMB_PARTS) {
    parts.splice(1, parts.length - MAX_BREADCRUMB_PARTS + 1, '…');
  }
  return parts.join(BREADCRUMB_SEPARATOR);
}
