import type { Token } from 'marked';

/**
 * The words of inline Markdown without its markup (`Check **the** \`ssh\` tunnel` → `Check the ssh
 * tunnel`), for titles and button labels, which chat shows as plain text.
 */
export function readPlainText(tokens: Token[] | undefined, fallback = ''): string {
  if (!tokens) return collapseSpaces(fallback);
  return collapseSpaces(tokens.map(readToken).join(''));
}

function readToken(token: Token): string {
  switch (token.type) {
    case 'html':
      // Inline tags (`<b>`, `<br>`) are markup; their words are separate text tokens.
      return '';
    case 'br':
      return ' ';
    case 'image':
      return typeof token.text === 'string' ? token.text : '';
    default: {
      const { tokens, text } = token as { tokens?: Token[]; text?: unknown };
      if (Array.isArray(tokens) && tokens.length > 0) return tokens.map(readToken).join('');
      return typeof text === 'string' ? text : '';
    }
  }
}

function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
