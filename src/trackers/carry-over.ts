/**
 * Sections people fill in after the report is filed (the summary, the RCA's action items). Filing
 * again rewrites the report from the timeline, but what people wrote there is theirs to keep.
 */
export const KEPT_SECTIONS = ['Summary', 'Action items'];

/**
 * Returns `fresh` with each kept `## Heading` section replaced by the one in `previous`, when
 * the previous one was edited (differs from what the template produces now).
 */
export function carryOverSections(previous: string, fresh: string, headings: string[] = KEPT_SECTIONS): string {
  const old = sectionsOf(previous.replace(/\r\n?/g, '\n'));
  const lines = fresh.split('\n');
  const now = sectionsOf(fresh);
  // Replace from the bottom up so earlier line numbers stay valid.
  const edits = headings
    .map((heading) => ({ heading, before: old.get(heading), after: now.get(heading) }))
    .filter((e): e is { heading: string; before: Section; after: Section } => Boolean(e.before && e.after))
    .filter((e) => e.before.body.trim() !== e.after.body.trim())
    .sort((a, b) => b.after.start - a.after.start);
  for (const edit of edits) {
    lines.splice(edit.after.start + 1, edit.after.end - edit.after.start - 1, ...edit.before.body.split('\n'));
  }
  return lines.join('\n');
}

interface Section {
  /** Line index of the heading. */
  start: number;
  /** Line index after the last line of the section. */
  end: number;
  body: string;
}

function sectionsOf(text: string): Map<string, Section> {
  const lines = text.split('\n');
  const headings: { name: string; line: number }[] = [];
  let fence: string | undefined;
  lines.forEach((line, i) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length))) fence = fence ? undefined : marker;
    else if (!fence && /^## /.test(line)) headings.push({ name: line.slice(3).trim(), line: i });
  });
  const sections = new Map<string, Section>();
  headings.forEach((h, k) => {
    const end = headings[k + 1]?.line ?? lines.length;
    if (!sections.has(h.name)) sections.set(h.name, { start: h.line, end, body: lines.slice(h.line + 1, end).join('\n') });
  });
  return sections;
}
