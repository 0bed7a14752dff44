/**
 * A playbook: a Markdown document in `playbooks/`, shown in chat page by page.
 * Format (docs/playbooks.md has the full description):
 *
 *   # MySQL replication lag            ← title
 *   ## Is the lag rising? {#start}     ← a page; `{#id}` or a slug of the heading is its id
 *   Text in Markdown.
 *   ```sh                              ← a command block, a template rendered with shell quoting
 *   mysql -h {{ alert.raw.host }} …
 *   ```
 *   - [Yes, rising](#check-tunnel)     ← a choice: a list item that is only a link to a page
 *   - [No, stable](#stable)
 *
 * The first page is where a playbook starts unless a page has the id `start`.
 */
export interface Playbook {
  id: string;
  title: string;
  /** Path it was read from, for error messages. */
  file: string;
  pages: PlaybookPage[];
  startPage: string;
}

export interface PlaybookPage {
  id: string;
  title: string;
  /** 1-based line of the page heading in the file. */
  line: number;
  /** Text and commands in document order. Text is Markdown (templates allowed, rendered as chat text). */
  content: PlaybookContent[];
  choices: PlaybookChoice[];
}

export type PlaybookContent = { kind: 'text'; text: string; line: number } | { kind: 'command'; template: string; language?: string; line: number };

export interface PlaybookChoice {
  label: string;
  /** Target page id. */
  to: string;
  line: number;
}

/** A problem found while reading a playbook, with where it is. */
export interface PlaybookProblem {
  file: string;
  line: number;
  code: string;
  message: string;
}

export interface PlaybookLibrary {
  get(id: string): Playbook | undefined;
  list(): Playbook[];
  problems(): PlaybookProblem[];
  /** Ids of playbooks whose file is broken now and whose previous version is still in use. */
  kept?(): string[];
}
