/**
 * New flows not saved yet, handed from the flow list to the editor. Kept in this tab's
 * sessionStorage so a reload does not lose them; gone when the tab closes or the flow is saved.
 */
const PREFIX = 'sidekick.draft.';
const memory = new Map<string, string>();

/** Keeps a new flow's YAML for the editor to open. */
export function putDraft(id: string, yaml: string) {
  memory.set(id, yaml);
  try {
    sessionStorage.setItem(PREFIX + id, yaml);
  } catch {
    // storage full or refused: the draft lives until the page reloads
  }
}

/** The unsaved YAML of a new flow, if there is one. */
export function peekDraft(id: string): string | undefined {
  if (memory.has(id)) return memory.get(id);
  try {
    return sessionStorage.getItem(PREFIX + id) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Forgets a draft once it is saved. */
export function dropDraft(id: string) {
  memory.delete(id);
  try {
    sessionStorage.removeItem(PREFIX + id);
  } catch {
    // nothing stored
  }
}
