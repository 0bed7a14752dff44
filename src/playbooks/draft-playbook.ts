import type { PlaybookContent } from './playbook.js';
import type { WrittenChoice } from './read-choices.js';

/** A page as written, before ids are made unique and choices are checked. */
export interface DraftPage {
  title: string;
  /** From `{#id}`, when the heading has one. */
  explicitId?: string;
  line: number;
  content: PlaybookContent[];
  choices: WrittenChoice[];
}

/** What the Markdown walk produces; `finishPlaybook` turns it into a checked playbook. */
export interface DraftPlaybook {
  title?: string;
  /** Text and commands before the first page, shown at the top of the first page. */
  intro: PlaybookContent[];
  /** Choices written before the first page; they belong to the first page. */
  introChoices: WrittenChoice[];
  pages: DraftPage[];
}
