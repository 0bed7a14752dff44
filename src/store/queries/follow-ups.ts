import type { Selectable } from 'kysely';
import type { FollowUp, FollowUpRef } from '../../incidents/follow-up.js';
import type { FollowUpsTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { dropUndefined, toIso, toMillis } from '../encode.js';

export type NewFollowUp = Omit<FollowUp, 'refs'>;

/**
 * Adds a follow-up once per id: a retried command or request that adds the same id again gets
 * the first one back instead of a second action item.
 */
export async function addFollowUp(ctx: QueryContext, followUp: NewFollowUp): Promise<FollowUp> {
  await ctx.db
    .insertInto('follow_ups')
    .values({
      id: followUp.id,
      incident_id: followUp.incidentId,
      text: followUp.text,
      owner_name: followUp.owner?.name ?? null,
      owner_user_id: followUp.owner?.userId ?? null,
      created_by: followUp.createdBy,
      created_at: toMillis(followUp.createdAt, 'followUp.createdAt'),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const stored = await getFollowUp(ctx, followUp.id);
  if (!stored) throw new Error(`follow-up ${followUp.id} vanished after insert`);
  return stored;
}

export async function getFollowUp(ctx: QueryContext, id: string): Promise<FollowUp | undefined> {
  const row = await ctx.db.selectFrom('follow_ups').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return toFollowUp(row, await refsOf(ctx, [row.id]));
}

/** The follow-ups of an incident in the order they were added, each with its tracker references. */
export async function listFollowUps(ctx: QueryContext, incidentId: string): Promise<FollowUp[]> {
  const rows = await ctx.db.selectFrom('follow_ups').selectAll().where('incident_id', '=', incidentId).orderBy('seq').execute();
  const refs = await refsOf(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toFollowUp(row, refs));
}

/** Records (or moves) where a follow-up is filed in one tracker; one row per tracker, last write wins. */
export async function setFollowUpRef(ctx: QueryContext, followUpId: string, ref: FollowUpRef, now: string): Promise<void> {
  const updatedAt = toMillis(now, 'now');
  await ctx.db
    .insertInto('follow_up_refs')
    .values({ follow_up_id: followUpId, tracker: ref.tracker, issue_id: ref.id, url: ref.url, updated_at: updatedAt })
    .onConflict((oc) => oc.columns(['follow_up_id', 'tracker']).doUpdateSet({ issue_id: ref.id, url: ref.url, updated_at: updatedAt }))
    .execute();
}

async function refsOf(ctx: QueryContext, ids: string[]): Promise<Map<string, FollowUpRef[]>> {
  const map = new Map<string, FollowUpRef[]>();
  if (ids.length === 0) return map;
  const rows = await ctx.db.selectFrom('follow_up_refs').selectAll().where('follow_up_id', 'in', ids).orderBy('tracker').execute();
  for (const row of rows) {
    const list = map.get(row.follow_up_id) ?? [];
    list.push({ tracker: row.tracker, id: row.issue_id, url: row.url });
    map.set(row.follow_up_id, list);
  }
  return map;
}

function toFollowUp(row: Selectable<FollowUpsTable>, refs: Map<string, FollowUpRef[]>): FollowUp {
  return dropUndefined<FollowUp>({
    id: row.id,
    incidentId: row.incident_id,
    text: row.text,
    owner: row.owner_name === null ? undefined : dropUndefined({ name: row.owner_name, userId: row.owner_user_id ?? undefined }),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    refs: refs.get(row.id) ?? [],
  });
}
