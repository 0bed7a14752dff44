import { sql, type Selectable } from 'kysely';
import type { Run, RunStatus } from '../../model/run.js';
import type { FlowDefinition } from '../../flows/flow-schema.js';
import type { RunsTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { StoreError } from '../store-error.js';
import { compileOnce } from '../compile-once.js';
import { dropUndefined, fromJsonText, orUndefined, toIso, toJsonText, toMillis } from '../encode.js';

// Once per run started, in the commit of what started it: compiled once (compile-once.ts).
const insertRun = compileOnce(
  (db, id: string, flowId: string, flowHash: string, flow: string, incidentId: string, triggerKey: string, alertId: string | null, status: string, createdAt: number, updatedAt: number) =>
    db
      .insertInto('runs')
      .values({ id, flow_id: flowId, flow_hash: flowHash, flow, incident_id: incidentId, trigger_key: triggerKey, alert_id: alertId, status, created_at: createdAt, updated_at: updatedAt })
      .onConflict((oc) => oc.doNothing())
      .returningAll(),
);

/**
 * Creates a run unless one exists for (flowId, incidentId, triggerKey): ON CONFLICT DO NOTHING,
 * then the existing run is read back, so two instances handling one trigger start one run.
 */
export async function createRun(ctx: QueryContext, run: Omit<Run, 'createdAt' | 'updatedAt'>, now: string): Promise<{ run: Run; created: boolean }> {
  const nowMs = toMillis(now, 'now');
  const [row] = (await insertRun(ctx.db, run.id, run.flowId, run.flowHash, toJsonText(run.flow), run.incidentId, run.triggerKey, run.alertId ?? null, run.status, nowMs, nowMs)).rows;
  if (row) return { run: toRun(row), created: true };

  const existing = await ctx.db.selectFrom('runs').selectAll().where('flow_id', '=', run.flowId).where('incident_id', '=', run.incidentId).where('trigger_key', '=', run.triggerKey).executeTakeFirst();
  if (existing) return { run: toRun(existing), created: false };
  throw new StoreError('STORE_CONFLICT', `run id ${JSON.stringify(run.id)} is already used by another trigger`);
}

/** One run. */
export async function getRun(ctx: QueryContext, id: string): Promise<Run | undefined> {
  const [row] = (await selectRunById(ctx.db, id)).rows;
  return row ? toRun(row) : undefined;
}

// Once per task job: compiled once (compile-once.ts).
const selectRunById = compileOnce((db, id: string) => db.selectFrom('runs').selectAll().where('id', '=', id));
const finishIdleRun = compileOnce((db, status: RunStatus, updatedAt: number, id: string, runId: string) =>
  db
    .updateTable('runs')
    .set({ status, updated_at: updatedAt })
    .where('id', '=', id)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('tasks')
            .select('tasks.id')
            .where('tasks.run_id', '=', runId)
            .where(sql<boolean>`tasks.status in ('ready', 'running', 'waiting')`),
        ),
      ),
    ),
);

/**
 * Marks a run done unless one of its tasks is still ready, running or waiting: the check and the
 * write in one statement. Returns whether it did.
 */
export async function finishRunIfIdle(ctx: QueryContext, id: string, now: string): Promise<boolean> {
  const result = await finishIdleRun(ctx.db, 'done', toMillis(now, 'now'), id, id);
  return Number(result.numAffectedRows ?? 0) > 0;
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

/** A runs row as the domain sees it. */
export function toRun(row: Selectable<RunsTable>): Run {
  return dropUndefined<Run>({
    id: row.id,
    flowId: row.flow_id,
    flowHash: row.flow_hash,
    flow: parsedFlow(row.flow_hash, row.flow),
    incidentId: row.incident_id,
    triggerKey: row.trigger_key,
    alertId: orUndefined(row.alert_id),
    status: row.status as RunStatus,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  });
}

/**
 * A run pins its flow by hash, and a flow is never changed in place: every task job of every run
 * of one flow version reads the same text, so it is parsed once (checked against the text, so
 * even two texts under one hash never mix). Callers only read a run's flow.
 */
const parsedFlows = new Map<string, { text: string; flow: FlowDefinition }>();
const PARSED_FLOWS_KEPT = 128;

function parsedFlow(hash: string, text: string): FlowDefinition {
  const cached = parsedFlows.get(hash);
  if (cached && cached.text === text) return cached.flow;
  const flow = fromJsonText<FlowDefinition>(text);
  parsedFlows.delete(hash);
  parsedFlows.set(hash, { text, flow });
  if (parsedFlows.size > PARSED_FLOWS_KEPT) parsedFlows.delete(parsedFlows.keys().next().value as string);
  return flow;
}
