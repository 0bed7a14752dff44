import type { Selectable } from 'kysely';
import type { DraftStatus, ReportDraft } from '../../report/draft/draft.js';
import type { ReportDraftsTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { fromJsonText, toIso, toJsonText, toMillis } from '../encode.js';

/** The stored draft of an incident's report, if one was ever made. */
export async function getReportDraft(ctx: QueryContext, incidentId: string): Promise<ReportDraft | undefined> {
  const row = await ctx.db.selectFrom('report_drafts').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
  return row ? toDraft(row) : undefined;
}

/** Stores an incident's draft, replacing the one before (a redraft, a review): one row per incident. */
export async function putReportDraft(ctx: QueryContext, draft: ReportDraft): Promise<void> {
  const values = {
    status: draft.status,
    sections: toJsonText(draft.sections),
    model: draft.model,
    error_code: draft.error?.code ?? null,
    error_message: draft.error?.message ?? null,
    dropped: draft.droppedSentences,
    reviewed_by: draft.reviewedBy ?? null,
    updated_at: toMillis(draft.updatedAt, 'draft.updatedAt'),
  };
  await ctx.db
    .insertInto('report_drafts')
    .values({ incident_id: draft.incidentId, created_at: toMillis(draft.createdAt, 'draft.createdAt'), ...values })
    .onConflict((oc) => oc.column('incident_id').doUpdateSet({ ...values, created_at: toMillis(draft.createdAt, 'draft.createdAt') }))
    .execute();
}

function toDraft(row: Selectable<ReportDraftsTable>): ReportDraft {
  return {
    incidentId: row.incident_id,
    status: row.status as DraftStatus,
    sections: fromJsonText(row.sections),
    model: row.model,
    ...(row.error_code ? { error: { code: row.error_code, message: row.error_message ?? '' } } : {}),
    droppedSentences: Number(row.dropped),
    ...(row.reviewed_by ? { reviewedBy: row.reviewed_by } : {}),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}
