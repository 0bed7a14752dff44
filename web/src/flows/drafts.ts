/** New flows not saved yet, handed from the flow list to the editor (memory only: a reload discards them). */
const drafts = new Map<string, string>();

/** Keeps a new flow's YAML for the editor to open. */
export function putDraft(id: string, yaml: string) {
  drafts.set(id, yaml);
}

/** The unsaved YAML of a new flow, if there is one. */
export function peekDraft(id: string): string | undefined {
  return drafts.get(id);
}

/** Forgets a draft once it is saved. */
export function dropDraft(id: string) {
  drafts.delete(id);
}
