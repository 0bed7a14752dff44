import type { Token, Tokens } from 'marked';
import type { Playbook, PlaybookContent, PlaybookProblem } from './playbook.js';
import type { DraftPage, DraftPlaybook } from './draft-playbook.js';
import { checkCommandQuoting, checkContentTemplate } from './check-content-template.js';
import { countNewlines } from './count-newlines.js';
import { finishPlaybook } from './finish-playbook.js';
import { lexMarkdown, type MarkdownLexer } from './markdown-lexer.js';
import { splitHeadingId } from './page-id.js';
import { readPlainText } from './plain-text.js';
import { readChoices } from './read-choices.js';
import { makeProblem, PLAYBOOK_PROBLEM_CODES as CODES } from './playbook-problems.js';

/**
 * Largest playbook read, in characters. A runbook is a few kilobytes; the cap keeps the worst case
 * of marked's lexer on hostile input to about a second.
 */
export const MAX_PLAYBOOK_CHARS = 256 * 1024;

/**
 * Reads a playbook's Markdown into pages, text, commands and choices, with every problem found and
 * its line. Never throws: a document that cannot be used comes back without a playbook.
 */
export function parsePlaybook(markdown: string, file: string, id: string): { playbook?: Playbook; problems: PlaybookProblem[] } {
  if (markdown.length > MAX_PLAYBOOK_CHARS) {
    const message = `the file has ${markdown.length} characters; playbooks are limited to ${MAX_PLAYBOOK_CHARS}. Split it into several playbooks.`;
    return { problems: [makeProblem(file, 1, CODES.tooLarge, message)] };
  }
  try {
    const problems: PlaybookProblem[] = [];
    const draft = walkTokens(markdown.replace(/^\uFEFF/, ''), file, problems);
    const playbook = finishPlaybook(draft, file, id, problems);
    return { playbook, problems: problems.sort((a, b) => a.line - b.line) };
  } catch (error) {
    // The lexer can fail on pathological input (deep nesting exhausts the stack); report, don't crash.
    const reason = error instanceof Error ? error.message : String(error);
    return { problems: [makeProblem(file, 1, CODES.unparsable, `the Markdown could not be read (${reason}); simplify the document.`)] };
  }
}

function walkTokens(markdown: string, file: string, problems: PlaybookProblem[]): DraftPlaybook {
  const source = markdown.replace(/\r\n?/g, '\n');
  const lexer = lexMarkdown(source);
  const draft: DraftPlaybook = { intro: [], introChoices: [], pages: [] };
  let offset = 0;
  let line = 1;
  for (const token of lexer.blocks) {
    const at = source.startsWith(token.raw, offset) ? offset : source.indexOf(token.raw, offset);
    if (at >= 0) {
      line += countNewlines(source.slice(offset, at), at - offset);
      offset = at;
    }
    addToken(draft, token, line, { file, problems, lexer });
    line += countNewlines(token.raw, token.raw.length);
    offset += token.raw.length;
  }
  return draft;
}

interface WalkContext {
  file: string;
  problems: PlaybookProblem[];
  lexer: MarkdownLexer;
}

function addToken(draft: DraftPlaybook, token: Token, line: number, context: WalkContext): void {
  const { file, problems, lexer } = context;
  const page: DraftPage | undefined = draft.pages[draft.pages.length - 1];
  const content = page ? page.content : draft.intro;
  switch (token.type) {
    case 'heading': {
      const heading = token as Tokens.Heading;
      if (heading.depth === 1 && draft.title === undefined && !page) {
        // Only before the pages: a `#` further down is a section of a page, not the playbook's name.
        draft.title = readPlainText(lexer.readInline(heading.text), heading.text);
        return;
      }
      if (heading.depth === 2) {
        // The id first, from the text as written: inline Markdown would read `{#__init__}` as bold.
        const { title: written, id } = splitHeadingId(heading.text);
        const title = readPlainText(lexer.readInline(written), written);
        draft.pages.push({ title, explicitId: id, line, content: [], choices: [] });
        return;
      }
      addText(content, token.raw, line, context);
      return;
    }
    case 'code': {
      const code = token as Tokens.Code;
      if (isUnclosedFence(code)) {
        problems.push(makeProblem(file, line, CODES.unclosedFence, 'this code block is never closed, so everything below it is part of the command; close it with a line of ``` .'));
      }
      const language = code.lang?.trim().split(/\s+/)[0];
      content.push({ kind: 'command', template: code.text, ...(language ? { language } : {}), line });
      // A fenced block's text starts below its opening fence; an indented one's on its first line.
      const firstLine = code.codeBlockStyle === 'indented' ? line : line + 1;
      checkContentTemplate(code.text, firstLine, file, problems);
      checkCommandQuoting(code.text, firstLine, file, problems);
      return;
    }
    case 'list': {
      const choices = readChoices(token as Tokens.List, line, lexer.readInline);
      if (!choices) addText(content, token.raw, line, context);
      else (page ? page.choices : draft.introChoices).push(...choices);
      return;
    }
    case 'html':
      // Comments are notes for authors, not for the people in the incident.
      if (/^\s*<!--[\s\S]*-->\s*$/.test(token.raw)) return;
      addText(content, token.raw, line, context);
      return;
    case 'space':
    case 'hr':
    case 'def':
      return;
    default:
      if (token.raw.trim() !== '') addText(content, token.raw, line, context);
  }
}

function addText(content: PlaybookContent[], raw: string, line: number, { file, problems }: WalkContext): void {
  // Leading blank lines belong to the gap before the block, not to the block or its line.
  const leading = raw.length - raw.replace(/^\s*\n/, '').length;
  const text = { kind: 'text' as const, text: raw.slice(leading).trimEnd(), line: line + countNewlines(raw, leading) };
  content.push(text);
  checkContentTemplate(text.text, text.line, file, problems);
}

function isUnclosedFence(code: Tokens.Code): boolean {
  if (code.codeBlockStyle === 'indented') return false;
  const lines = code.raw.trimEnd().split('\n');
  const opening = /^ {0,3}(`{3,}|~{3,})/.exec(lines[0]);
  if (!opening) return false;
  const fence = opening[1];
  const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[lines.length - 1]);
  return lines.length < 2 || !closing || closing[1][0] !== fence[0] || closing[1].length < fence.length;
}
