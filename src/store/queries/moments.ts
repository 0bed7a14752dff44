import type { Selectable } from 'kysely';
import type { Moment, MomentKind } from '../../incidents/moment.js';
import type { MomentsTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { dropUndefined, toIso, toMillis } from '../encode.js';

/** The key that makes marking one message idempotent: the message's place, or the moment's own id. */
export function messageKeyOf(moment: Pick<Moment, 'id' | 'message'>): string {
  return moment.message ? `${moment.message.adapter}:${moment.message.channel}:${moment.message.id}` : `moment:${moment.id}`;
}

/**
 * Marks a moment once per (incident, kind, message): a 📌 added twice or a retried click finds the
 * first mark and returns it unchanged.
 */
export async function addMoment(ctx: QueryContext, moment: Moment): Promise<Moment> {
  const messageKey = messageKeyOf(moment);
  await ctx.db
    .insertInto('moments')
    .values({
      id: moment.id,
      incident_id: moment.incidentId,
      kind: moment.kind,
      text: moment.text,
      message_key: messageKey,
      message_adapter: moment.message?.adapter ?? null,
      message_channel: moment.message?.channel ?? null,
      message_id: moment.message?.id ?? null,
      message_author: moment.message?.author ?? null,
      message_at: moment.message ? toMillis(moment.message.at, 'moment.message.at') : null,
      marked_by: moment.markedBy,
      marked_at: toMillis(moment.markedAt, 'moment.markedAt'),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await ctx.db.selectFrom('moments').selectAll().where('incident_id', '=', moment.incidentId).where('kind', '=', moment.kind).where('message_key', '=', messageKey).executeTakeFirst();
  if (!row) throw new Error(`moment ${moment.id} vanished after insert`);
  return toMoment(row);
}

/** Removes a mark; the removed moment comes back so its timeline line can say what was unmarked. */
export async function removeMoment(ctx: QueryContext, incidentId: string, kind: MomentKind, messageKey: string): Promise<Moment | undefined> {
  const row = await ctx.db.deleteFrom('moments').where('incident_id', '=', incidentId).where('kind', '=', kind).where('message_key', '=', messageKey).returningAll().executeTakeFirst();
  return row ? toMoment(row) : undefined;
}

/** An incident's moments in the order they were marked. */
export async function listMoments(ctx: QueryContext, incidentId: string): Promise<Moment[]> {
  const rows = await ctx.db.selectFrom('moments').selectAll().where('incident_id', '=', incidentId).orderBy('seq').execute();
  return rows.map(toMoment);
}

function toMoment(row: Selectable<MomentsTable>): Moment {
  return dropUndefined<Moment>({
    id: row.id,
    incidentId: row.incident_id,
    kind: row.kind as MomentKind,
    text: row.text,
    message:
      row.message_adapter !== null && row.message_channel !== null && row.message_id !== null
        ? { adapter: row.message_adapter, channel: row.message_channel, id: row.message_id, author: row.message_author ?? '', at: toIso(row.message_at ?? row.marked_at) }
        : undefined,
    markedBy: row.marked_by,
    markedAt: toIso(row.marked_at),
  });
}
