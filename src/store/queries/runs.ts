import type { Selectable } from 'kysely';
import type { Run, RunStatus } from '../../model/run.js';
import type { FlowDefinition } from '../../flows/flow-schema.js';
import type { RunsTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { StoreError } from '../store-error.js';
import { dropUndefined, fromJsonText, orUndefined, toIso, toJsonText, toMillis } from '../encode.js';

/**
 * Creates a run unless one exists for (flowId, incidentId, triggerKey): ON CONFLICT DO NOTHING,
 * then the existing run is read back, so two instances handling one trigger start one run.
 */
export async function createRun(ctx: QueryContext, run: Omit<Run, 'createdAt' | 'updatedAt'>, now: string): Promise<{ run: Run; created: boolean }> {
  const nowMs = toMillis(now, 'now');
  const row = await ctx.db
    .insertInto('runs')
    .values({
      id: run.id,
      flow_id: run.flowId,
      flow_hash: run.flowHash,
      flow: toJsonText(run.flow),
      incident_id: run.incidentId,
      trigger_key: run.triggerKey,
      alert_id: run.alertId ?? null,
      status: run.status,
      created_at: nowMs,
      updated_at: nowMs,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (row) return { run: toRun(row), created: true };

  const existing = await ctx.db.selectFrom('runs').selectAll().where('flow_id', '=', run.flowId).where('incident_id', '=', run.incidentId).where('trigger_key', '=', run.triggerKey).executeTakeFirst();
  if (existing) return { run: toRun(existing), created: false };
  throw new StoreError('STORE_CONFLICT', `run id ${JSON.stringify(run.id)} is already used by another trigger`);
}

/** One run. */
export async function getRun(ctx: QueryContext, id: string): Promise<Run | undefined> {
  const row = await ctx.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRun(row) : undefined;
}

/** Runs, oldest first. */
export async function listRuns(ctx: QueryContext, filter: { incidentId?: string; status?: RunStatus }): Promise<Run[]> {
  let query = ctx.db.selectFrom('runs').selectAll();
  if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map(toRun);
}

/** Sets a run's status. */
export async function updateRunStatus(ctx: QueryContext, id: string, status: RunStatus, now: string): Promise<void> {
  await ctx.db
    .updateTable('runs')
    .set({ status, updated_at: toMillis(now, 'now') })
    .where('id', '=', id)
    .execute();
}

function toRun(row: Selectable<RunsTable>): Run {
  return dropUndefined<Run>({
    id: row.id,
    flowId: row.flow_id,
    flowHash: row.flow_hash,
    flow: fromJsonText<FlowDefinition>(row.flow),
    incidentId: row.incident_id,
    triggerKey: row.trigger_key,
    alertId: orUndefined(row.alert_id),
    status: row.status as RunStatus,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  });
}
