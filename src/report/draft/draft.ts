/** The three sections the model drafts, in the order the report shows them. */
export const DRAFT_SECTIONS = [
  { key: 'summary', title: 'Summary' },
  { key: 'whatHappened', title: 'What happened' },
  { key: 'contributingFactors', title: 'Contributing factors' },
] as const;

export type DraftSectionKey = (typeof DRAFT_SECTIONS)[number]['key'];

/** One sentence of the draft and the timeline entries (by id) it came from. */
export interface DraftSentence {
  text: string;
  cites: string[];
}

/**
 * `drafted`: as the model wrote it, not yet looked at; `accepted`: a person read it and kept it;
 * `edited`: a person changed it; `failed`: the model could not give one (`error` says why).
 */
export type DraftStatus = 'drafted' | 'accepted' | 'edited' | 'failed';

/** The AI first draft of an incident's report, stored so it is made once and survives restarts. */
export interface ReportDraft {
  incidentId: string;
  status: DraftStatus;
  sections: Record<DraftSectionKey, DraftSentence[]>;
  /** The model that wrote it (as configured). */
  model: string;
  /** Why there is no draft (`failed`), with its stable code. */
  error?: { code: string; message: string };
  /** Sentences dropped because they cited no real timeline entry. */
  droppedSentences: number;
  /** Who accepted or edited it. */
  reviewedBy?: string;
  createdAt: string;
  updatedAt: string;
}

/** A draft with no sentences, for failures. */
export function emptySections(): ReportDraft['sections'] {
  return { summary: [], whatHappened: [], contributingFactors: [] };
}
