import type { Playbook, PlaybookChoice, PlaybookPage, PlaybookProblem } from './playbook.js';
import type { DraftPlaybook } from './draft-playbook.js';
import type { WrittenChoice } from './read-choices.js';
import { findClosest } from '../util/find-closest.js';
import { slugHeading } from './page-id.js';
import { makeProblem, PLAYBOOK_PROBLEM_CODES as CODES } from './playbook-problems.js';

/** Slack rejects a button whose text is longer (integrations.md §1.4). */
export const MAX_CHOICE_LABEL = 75;
/** Slack's limit of elements in one actions block (integrations.md §1.4). */
export const MAX_CHOICES_PER_PAGE = 25;

/**
 * Gives pages unique ids, resolves choices to pages and checks the playbook as a whole.
 * Whatever is broken is reported and left out (a choice to nowhere) or repaired (a label too long
 * is shortened), so one typo does not take a playbook away from responders at 4 am.
 */
export function finishPlaybook(draft: DraftPlaybook, file: string, id: string, problems: PlaybookProblem[]): Playbook | undefined {
  if (draft.pages.length === 0) {
    problems.push(makeProblem(file, 1, CODES.noPages, 'the playbook has no pages; start each page with a heading like `## Is the lag rising? {#start}`.'));
    return undefined;
  }
  const { pages, renamed } = namePages(draft, file, problems);
  const byId = new Map(pages.map((page) => [page.id, page]));
  draft.pages.forEach((written, index) => {
    const choices = index === 0 ? [...draft.introChoices, ...written.choices] : written.choices;
    const page = pages[index];
    page.choices = choices.flatMap((choice) => resolveChoice(choice, page, byId, file, problems));
    if (page.choices.length > MAX_CHOICES_PER_PAGE) {
      problems.push(
        makeProblem(
          file,
          page.choices[MAX_CHOICES_PER_PAGE].line,
          CODES.tooManyChoices,
          `page "${shorten(page.id, 80)}" has ${page.choices.length} choices; chat shows at most ${MAX_CHOICES_PER_PAGE} buttons together. Split the decision over two pages.`,
        ),
      );
    }
    if (page.content.length === 0 && choices.length === 0) {
      problems.push(makeProblem(file, page.line, CODES.emptyPage, `page "${shorten(page.id, 80)}" has no text, commands or choices; write what to do there or remove the heading.`));
    }
  });
  const startPage = byId.has('start') ? 'start' : pages[0].id;
  reportUnreachable(pages, startPage, renamed, file, problems);
  return { id, title: draft.title || id, file, pages, startPage };
}

function namePages(draft: DraftPlaybook, file: string, problems: PlaybookProblem[]): { pages: PlaybookPage[]; renamed: Set<string> } {
  const firstLine = new Map<string, number>();
  const renamed = new Set<string>();
  const pages = draft.pages.map((written, index): PlaybookPage => {
    let pageId = written.explicitId ?? (slugHeading(written.title) || `page-${index + 1}`);
    const earlier = firstLine.get(pageId);
    if (earlier !== undefined) {
      problems.push(
        makeProblem(
          file,
          written.line,
          CODES.duplicatePage,
          `page id "${shorten(pageId, 80)}" is already used by the page at line ${earlier}; give one of them its own id, e.g. \`## ${shorten(written.title, 40) || 'Title'} {#${shorten(pageId, 40)}-2}\`.`,
        ),
      );
      // Kept under a fresh id so its own choices still count; links keep going to the first one.
      pageId = makeUniqueId(pageId, firstLine);
      renamed.add(pageId);
    }
    firstLine.set(pageId, written.line);
    const content = index === 0 ? [...draft.intro, ...written.content] : written.content;
    return { id: pageId, title: written.title || pageId, line: written.line, content, choices: [] };
  });
  return { pages, renamed };
}

function makeUniqueId(base: string, taken: Map<string, number>): string {
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

function resolveChoice(choice: WrittenChoice, page: PlaybookPage, byId: Map<string, PlaybookPage>, file: string, problems: PlaybookProblem[]): PlaybookChoice[] {
  const target = byId.get(choice.to);
  if (!target) {
    const hint = findClosest(choice.to, byId.keys());
    const suggestion = hint
      ? `did you mean "#${hint}"?`
      : `the pages are: ${[...byId.keys()]
          .slice(0, 10)
          .map((key) => shorten(key, 40))
          .join(', ')}.`;
    problems.push(
      makeProblem(
        file,
        choice.line,
        CODES.unknownPage,
        `choice "${shorten(choice.label, 40)}" on page "${shorten(page.id, 80)}" leads to "#${shorten(choice.to, 80)}", which is not a page; ${suggestion}`,
      ),
    );
    return [];
  }
  let label = choice.label || target.title;
  const length = Array.from(label).length;
  if (length > MAX_CHOICE_LABEL) {
    problems.push(
      makeProblem(
        file,
        choice.line,
        CODES.longChoiceLabel,
        `choice "${shorten(label, 40)}" has ${length} characters; chat buttons hold at most ${MAX_CHOICE_LABEL}. Shorten it and put the detail in the page text.`,
      ),
    );
    label = shorten(label, MAX_CHOICE_LABEL);
  }
  return [{ label, to: target.id, line: choice.line }];
}

function reportUnreachable(pages: PlaybookPage[], startPage: string, renamed: Set<string>, file: string, problems: PlaybookProblem[]): void {
  const byId = new Map(pages.map((page) => [page.id, page]));
  const reached = new Set([startPage]);
  const queue = [startPage];
  while (queue.length > 0) {
    for (const choice of byId.get(queue.pop()!)?.choices ?? []) {
      if (!reached.has(choice.to)) {
        reached.add(choice.to);
        queue.push(choice.to);
      }
    }
  }
  for (const page of pages) {
    // A renamed duplicate is already reported; saying it is also unreachable adds nothing.
    if (reached.has(page.id) || renamed.has(page.id)) continue;
    problems.push(
      makeProblem(
        file,
        page.line,
        CODES.unreachablePage,
        `no choice leads to page "${shorten(page.id, 80)}" from the start page "${shorten(startPage, 80)}"; link to it with \`- [Label](#${shorten(page.id, 80)})\` or remove it.`,
      ),
    );
  }
}

/** Cuts text to `max` characters, marking the cut, so hostile lengths never reach a message. */
function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
