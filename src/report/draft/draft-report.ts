import type { Logger } from 'pino';
import type { ChatHistoryMessage } from '../../chat/chat.js';
import type { Incident, TimelineEntry } from '../../incidents/incident.js';
import type { Store } from '../../store/store.js';
import type { AiConfig } from './ai-config.js';
import { completeChat } from './complete-chat.js';
import { buildDraftPrompt, DRAFT_ANSWER_SCHEMA } from './draft-prompt.js';
import { DraftError } from './draft-error.js';
import { emptySections, type ReportDraft } from './draft.js';
import { parseDraftAnswer } from './parse-draft.js';

export interface DraftDeps {
  store: Pick<Store, 'putReportDraft'>;
  ai: AiConfig;
  secrets: readonly string[];
  now: () => Date;
  log: Pick<Logger, 'warn' | 'info'>;
  fetch?: typeof fetch;
}

/**
 * Asks the configured model for the draft and stores what came of it: the draft, or a `failed`
 * draft saying why (slow, down, rate-limited, garbage). Never throws for the model's sake, and
 * never takes longer than `ai.timeoutMs` waiting for it, so the report is always written.
 */
export async function draftReport(deps: DraftDeps, input: { incident: Incident; timeline: TimelineEntry[]; conversation: ChatHistoryMessage[] }): Promise<ReportDraft> {
  const { ai } = deps;
  const at = deps.now().toISOString();
  const model = ai.model ?? 'unknown';
  let draft: ReportDraft;
  try {
    if (!ai.enabled || !ai.url) throw new DraftError('AI_REJECTED', 'no model is configured (SIDEKICK_AI_URL and SIDEKICK_AI_MODEL)');
    const prompt = buildDraftPrompt(input, deps.secrets);
    const content = await completeChat(prompt.messages, {
      url: ai.url,
      key: ai.key,
      model,
      timeoutMs: ai.timeoutMs,
      maxTokens: ai.maxTokens,
      stream: ai.stream,
      schema: { name: 'incident_report_draft', schema: DRAFT_ANSWER_SCHEMA },
      fetch: deps.fetch,
    });
    const { sections, dropped } = parseDraftAnswer(content, prompt.refs);
    draft = { incidentId: input.incident.id, status: 'drafted', sections, model, droppedSentences: dropped, createdAt: at, updatedAt: at };
    deps.log.info({ incidentId: input.incident.id, model, dropped }, 'report drafted by the model');
  } catch (error) {
    const failure = error instanceof DraftError ? error : new DraftError('AI_BAD_ANSWER', (error as Error).message);
    deps.log.warn({ incidentId: input.incident.id, code: failure.code, err: failure.message }, 'no AI draft for the report');
    draft = {
      incidentId: input.incident.id,
      status: 'failed',
      sections: emptySections(),
      model,
      error: { code: failure.code, message: failure.message },
      droppedSentences: 0,
      createdAt: at,
      updatedAt: at,
    };
  }
  await deps.store.putReportDraft(draft);
  return draft;
}
