import { z } from 'zod';
import { DRAFT_SECTIONS, type DraftSentence, type ReportDraft } from './draft.js';
import { DraftError } from './draft-error.js';

/** More than this per section is not a first draft any more. */
const MAX_SENTENCES = 40;
const MAX_SENTENCE_CHARS = 1000;

const sentence = z.object({ text: z.string(), cites: z.array(z.union([z.string(), z.number()])).default([]) }).passthrough();
const answer = z.object({ summary: z.array(sentence).default([]), whatHappened: z.array(sentence).default([]), contributingFactors: z.array(sentence).default([]) }).passthrough();

/**
 * Reads the model's answer into draft sections. Structured output is best effort across servers,
 * so JSON inside a code fence or after some prose is found too. Each citation must name an entry
 * of the prompt (`E12`, `[E12]`, `12`); invented ones are dropped, and a sentence left with no real
 * citation is dropped whole (counted): the draft never says what the timeline does not.
 */
export function parseDraftAnswer(content: string, refs: ReadonlyMap<string, string>): { sections: ReportDraft['sections']; dropped: number } {
  const parsed = answer.safeParse(findJson(content));
  if (!parsed.success) throw new DraftError('AI_BAD_ANSWER', `the model's answer is not the draft's JSON (${parsed.error.issues[0]?.message ?? 'wrong shape'})`);
  let dropped = 0;
  let kept = 0;
  const sections = {} as ReportDraft['sections'];
  for (const { key } of DRAFT_SECTIONS) {
    sections[key] = [];
    for (const item of parsed.data[key].slice(0, MAX_SENTENCES)) {
      const text = item.text.replace(/\s+/g, ' ').trim().slice(0, MAX_SENTENCE_CHARS);
      const cites = [...new Set(item.cites.map((c) => refs.get(normaliseRef(c))).filter((id): id is string => id !== undefined))];
      if (!text) continue;
      if (cites.length === 0) {
        dropped++;
        continue;
      }
      sections[key].push({ text, cites } satisfies DraftSentence);
      kept++;
    }
  }
  if (kept === 0) throw new DraftError('AI_BAD_ANSWER', `the model's answer has no sentence that cites a real timeline entry${dropped ? ` (${dropped} dropped)` : ''}`);
  return { sections, dropped };
}

function normaliseRef(value: string | number): string {
  const text = String(value)
    .trim()
    .replace(/^\[|\]$/g, '')
    .toUpperCase();
  return /^\d+$/.test(text) ? `E${text}` : text;
}

function findJson(content: string): unknown {
  const candidates = [content, /```(?:json)?\s*([\s\S]*?)```/i.exec(content)?.[1], sliceObject(content)];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      /* try the next reading */
    }
  }
  throw new DraftError('AI_BAD_ANSWER', 'the model did not answer with JSON');
}

function sliceObject(content: string): string | undefined {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  return start >= 0 && end > start ? content.slice(start, end + 1) : undefined;
}
