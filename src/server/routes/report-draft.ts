import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../../runtime/create-runtime.js';
import { HttpError } from '../http-error.js';
import { findIncident } from '../find-incident.js';
import { parseBody } from '../parse-body.js';
import { personOf } from '../register-auth.js';
import { DRAFT_SECTIONS, type ReportDraft } from '../../report/draft/draft.js';

const sentences = z.array(z.object({ text: z.string().trim().min(1).max(1000), cites: z.array(z.string().max(100)).max(50).default([]) }).strict()).max(40);
const edited = z.object({ sections: z.object({ summary: sentences, whatHappened: sentences, contributingFactors: sentences }).strict() }).strict();

/**
 * The AI first draft of an incident's report: read it (with the timeline entries it cites),
 * regenerate it, accept it, or save a person's edit. Accepting or editing is what turns
 * "drafted" text into reviewed text in the web view and the report.
 */
export function registerReportDraftRoutes(app: FastifyInstance, runtime: Runtime) {
  const find = (id: string) => findIncident(runtime.store, id);
  const requireEnabled = () => {
    if (!runtime.config.ai.enabled) throw new HttpError(409, 'AI_NOT_CONFIGURED', 'no model is configured for drafts: set SIDEKICK_AI_URL and SIDEKICK_AI_MODEL (docs/report.md)');
  };
  const answer = async (incidentId: string) => {
    const draft = await runtime.store.getReportDraft(incidentId);
    return { enabled: runtime.config.ai.enabled, model: runtime.config.ai.model, draft: draft ?? null };
  };
  const review = async (draft: ReportDraft | undefined, change: Partial<ReportDraft>) => {
    if (!draft || draft.status === 'failed') throw new HttpError(409, 'DRAFT_MISSING', 'there is no draft to review; regenerate it first');
    await runtime.store.putReportDraft({ ...draft, ...change, updatedAt: runtime.services.clock.now().toISOString() });
  };

  app.get<{ Params: { id: string } }>('/api/incidents/:id/draft', async (request) => answer((await find(request.params.id)).id));

  app.post<{ Params: { id: string } }>('/api/incidents/:id/draft', async (request) => {
    requireEnabled();
    const incident = await find(request.params.id);
    // The draft is written from the same facts as the report: rendering it makes the new draft.
    await runtime.services.renderReport(incident.id, { redraft: true });
    return answer(incident.id);
  });

  app.post<{ Params: { id: string } }>('/api/incidents/:id/draft/accept', async (request) => {
    const incident = await find(request.params.id);
    await review(await runtime.store.getReportDraft(incident.id), { status: 'accepted', reviewedBy: personOf(request).name });
    return answer(incident.id);
  });

  app.put<{ Params: { id: string } }>('/api/incidents/:id/draft', async (request) => {
    const body = parseBody(edited, request.body);
    const incident = await find(request.params.id);
    // A person may keep, drop or reword sentences; a citation still has to name a real entry.
    const known = new Set((await runtime.store.listTimeline(incident.id)).map((e) => e.id));
    const sections = {} as ReportDraft['sections'];
    for (const { key } of DRAFT_SECTIONS) sections[key] = body.sections[key].map((s) => ({ text: s.text, cites: [...new Set(s.cites.filter((id) => known.has(id)))] }));
    await review(await runtime.store.getReportDraft(incident.id), { status: 'edited', sections, reviewedBy: personOf(request).name });
    return answer(incident.id);
  });
}
