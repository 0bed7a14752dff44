import { Lexer, getDefaults, type Token } from 'marked';

/**
 * Longest text whose inline Markdown is read. marked's inline lexer is far worse than linear on
 * some inputs (`[a](#` repeated 1,000 times takes ten seconds), and only titles and choice
 * labels need inline tokens, which are short; text is kept as written and never inline-lexed.
 */
export const MAX_INLINE_CHARS = 300;

/** marked's block lexer plus bounded inline lexing, for one document. */
export interface MarkdownLexer {
  /** The document's block tokens; their own inline `tokens` are left unread. */
  blocks: Token[];
  /** Inline tokens of `text`, or undefined when it is too long to read safely. */
  readInline(text: string): Token[] | undefined;
}

/** Lexes a document's blocks with marked's default options, ignoring global `marked.use()` changes. */
export function lexMarkdown(source: string): MarkdownLexer {
  const lexer = new Lexer({ ...getDefaults(), gfm: true });
  const blocks = lexer.blockTokens(source);
  return {
    blocks,
    readInline: (text) => (text.length <= MAX_INLINE_CHARS ? lexer.inlineTokens(text) : undefined),
  };
}
