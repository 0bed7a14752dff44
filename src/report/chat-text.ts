/**
 * Chat text arrives in Slack's mrkdwn (the built-in room uses the same): `&`, `<` and `>` are
 * entity-escaped, and `<…>` holds links, mentions and channel references. The report wants what
 * people saw, so this turns it back into plain text before the report escapes it for Markdown.
 */
export function plainTextOfChat(text: string): string {
  return text
    .replace(/<([^<>\n]{1,2000})>/g, (_match, inner: string) => {
      const [target, label] = splitOnce(inner, '|');
      if (target.startsWith('@')) return `@${label || target.slice(1)}`;
      if (target.startsWith('#')) return `#${label || target.slice(1)}`;
      if (target.startsWith('!')) return `@${label || target.slice(1).split('^')[0]}`;
      if (/^(https?|mailto):/i.test(target)) return label && label !== target ? `${label} (${target})` : target;
      return `<${inner}>`;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
