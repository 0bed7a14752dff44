/**
 * A structural check of an Atlassian Document against the rules of the ADF JSON schema
 * (http://go.atlassian.com/adf-json-schema) for the nodes a report uses: the root, which node
 * may hold which, marks on text only, required attributes, and no empty text nodes. Jira answers
 * 400 for documents that break them; the fake does too. Returns the problems found.
 */
type Node = { type?: unknown; attrs?: Record<string, unknown>; content?: unknown; marks?: unknown; text?: unknown; version?: unknown };

const INLINE = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'date', 'status']);
const BLOCK_CHILDREN: Record<string, Set<string> | 'inline'> = {
  doc: new Set(['paragraph', 'heading', 'bulletList', 'orderedList', 'codeBlock', 'blockquote', 'rule', 'table', 'panel', 'taskList', 'mediaSingle', 'expand']),
  paragraph: 'inline',
  heading: 'inline',
  bulletList: new Set(['listItem']),
  orderedList: new Set(['listItem']),
  listItem: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock', 'mediaSingle', 'taskList']),
  taskList: new Set(['taskItem', 'taskList']),
  taskItem: 'inline',
  codeBlock: new Set(['text']),
  blockquote: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']),
  table: new Set(['tableRow']),
  tableRow: new Set(['tableHeader', 'tableCell']),
  tableHeader: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock', 'heading', 'rule', 'blockquote', 'taskList']),
  tableCell: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock', 'heading', 'rule', 'blockquote', 'taskList']),
  panel: new Set(['paragraph', 'bulletList', 'orderedList', 'heading', 'codeBlock']),
  mediaSingle: new Set(['media']),
  expand: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock', 'heading', 'table', 'rule']),
};
const LEAVES = new Set(['rule', 'hardBreak', 'mention', 'emoji', 'media', 'inlineCard', 'date', 'status']);
const MARKS = new Set(['strong', 'em', 'code', 'strike', 'underline', 'link', 'subsup', 'textColor']);

export function validateAdf(doc: unknown): string[] {
  const problems: string[] = [];
  const root = doc as Node;
  if (!root || typeof root !== 'object' || root.type !== 'doc' || root.version !== 1 || !Array.isArray(root.content)) {
    return ['the root must be {"type":"doc","version":1,"content":[…]}'];
  }
  const visit = (node: Node, path: string, parent: string) => {
    if (!node || typeof node !== 'object' || typeof node.type !== 'string') return void problems.push(`${path}: not a node`);
    const type = node.type;
    const allowed = BLOCK_CHILDREN[parent];
    const fits = allowed === 'inline' ? INLINE.has(type) : allowed?.has(type);
    if (!fits) problems.push(`${path}: ${type} may not be inside ${parent}`);
    if (type === 'text') {
      if (typeof node.text !== 'string' || node.text.length === 0) problems.push(`${path}: empty text node`);
      if (node.content !== undefined) problems.push(`${path}: text has no content`);
      if (node.marks !== undefined) {
        if (!Array.isArray(node.marks)) problems.push(`${path}: marks must be an array`);
        else
          for (const mark of node.marks as Node[]) {
            if (!MARKS.has(String(mark?.type))) problems.push(`${path}: unknown mark ${String(mark?.type)}`);
            if (mark?.type === 'link' && typeof mark.attrs?.href !== 'string') problems.push(`${path}: link without href`);
          }
        if (parent === 'codeBlock') problems.push(`${path}: text in a codeBlock takes no marks`);
      }
      return;
    }
    if (node.marks !== undefined) problems.push(`${path}: only text takes marks`);
    if (type === 'heading' && ![1, 2, 3, 4, 5, 6].includes(node.attrs?.level as number)) problems.push(`${path}: heading level must be 1–6`);
    if (type === 'taskItem' && !['TODO', 'DONE'].includes(String(node.attrs?.state))) problems.push(`${path}: taskItem state must be TODO or DONE`);
    if (LEAVES.has(type)) {
      if (node.content !== undefined && (node.content as unknown[]).length) problems.push(`${path}: ${type} holds no content`);
      return;
    }
    if (!BLOCK_CHILDREN[type]) return void problems.push(`${path}: unknown node type ${type}`);
    if (!Array.isArray(node.content)) return void problems.push(`${path}: ${type} needs content`);
    const mustHaveChildren = ['bulletList', 'orderedList', 'listItem', 'table', 'tableRow', 'tableHeader', 'tableCell', 'blockquote', 'taskList'];
    if (mustHaveChildren.includes(type) && node.content.length === 0) problems.push(`${path}: ${type} needs at least one child`);
    (node.content as Node[]).forEach((child, k) => visit(child, `${path}.${type}[${k}]`, type));
  };
  (root.content as Node[]).forEach((child, k) => visit(child, `doc[${k}]`, 'doc'));
  return problems;
}
