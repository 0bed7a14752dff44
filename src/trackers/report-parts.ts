import { carryOverSections } from './carry-over.js';
import { splitReport } from './split-report.js';

/**
 * How a filed report's pieces are marked so they can be found again: a hidden HTML comment
 * `<!-- sidekick:incident=<id> part=<k> -->` opens every piece. Filing again edits the marked
 * pieces instead of adding new ones, and a crash after creating an issue never leads to a second.
 */

/** The marker that opens piece `part` of the report of `incidentId`. */
export function partMarker(incidentId: string, part: number): string {
  return `<!-- sidekick:incident=${encodeURIComponent(incidentId)} part=${part} -->`;
}

/** The body of piece `part` of `count`: marker, a short heading for comments, the content. */
export function wrapPart(incidentId: string, part: number, count: number, content: string): string {
  if (part === 0) {
    const more = count > 1 ? `\n\n---\n_The report continues in the ${count - 1 === 1 ? 'next comment' : `next ${count - 1} comments`}._` : '';
    return `${partMarker(incidentId, 0)}\n${content}${more}`;
  }
  return `${partMarker(incidentId, part)}\n_Incident report, part ${part + 1} of ${count}_\n\n${content}`;
}

/** Reads a piece back: which part of which incident, and its content without our additions. */
export function unwrapPart(body: string | null | undefined): { incidentId: string; part: number; content: string } | undefined {
  const text = (body ?? '').replace(/\r\n?/g, '\n');
  const match = /^<!-- sidekick:incident=([^\s]*) part=(\d+) -->\n/.exec(text);
  if (!match) return undefined;
  let incidentId: string;
  try {
    incidentId = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  const part = Number(match[2]);
  let content = text.slice(match[0].length);
  if (part === 0) content = content.replace(/\n\n---\n_The report continues in the (next comment|next \d+ comments)\._$/, '');
  else content = content.replace(/^_Incident report, part \d+ of \d+_\n\n/, '');
  return { incidentId, part, content };
}

/**
 * The marked pieces to file for `body`, each within `maxChars`. When the report was filed before
 * (`filed`: the issue's body and its marked comments' contents), the sections people edited there
 * are carried into the new text first.
 */
export function reportParts(incidentId: string, body: string, maxChars: number, filed?: { body: string | null | undefined; comments: { content: string }[] }): string[] {
  const previous = filed ? [unwrapPart(filed.body)?.content ?? '', ...filed.comments.map((c) => c.content)].join('\n') : '';
  const contents = splitReport(previous ? carryOverSections(previous, body) : body, { maxChars });
  return contents.map((content, k) => wrapPart(incidentId, k, contents.length, content));
}
