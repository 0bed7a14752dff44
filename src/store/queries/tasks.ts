import type { Selectable, Updateable } from 'kysely';
import type { Task, TaskStatus } from '../../model/run.js';
import type { TasksTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { dropUndefined, fromJsonTextOrUndefined, orUndefined, toIso, toIsoOrUndefined, toJsonTextUnlessUndefined, toMillis, toMillisOrNull } from '../encode.js';

type TaskPatch = Partial<Omit<Task, 'id' | 'runId' | 'incidentId' | 'boxId' | 'createdAt' | 'version'>>;

/**
 * Creates a task at version 1. Creating an id that exists returns the stored task (first write
 * wins), so a job retried after a crash does not fail on the task it already made.
 */
export async function createTask(ctx: QueryContext, task: Omit<Task, 'createdAt' | 'updatedAt' | 'version'>, now: string): Promise<Task> {
  const nowMs = toMillis(now, 'now');
  const row = await ctx.db
    .insertInto('tasks')
    .values({
      id: task.id,
      run_id: task.runId,
      incident_id: task.incidentId,
      box_id: task.boxId,
      status: task.status,
      state: toJsonTextUnlessUndefined(task.state),
      output: toJsonTextUnlessUndefined(task.output),
      port: task.port ?? null,
      error: task.error ?? null,
      attempts: task.attempts ?? 0,
      wait_until: toMillisOrNull(task.waitUntil, 'task.waitUntil'),
      wait_for: task.waitFor ?? null,
      created_at: nowMs,
      updated_at: nowMs,
      completed_at: toMillisOrNull(task.completedAt, 'task.completedAt'),
      version: 1,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  const stored = row ?? (await ctx.db.selectFrom('tasks').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow());
  return toTask(stored);
}

/** One task. */
export async function getTask(ctx: QueryContext, id: string): Promise<Task | undefined> {
  const row = await ctx.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTask(row) : undefined;
}

/** Tasks, oldest first (insertion order). An empty `status` list matches nothing. */
export async function listTasks(ctx: QueryContext, filter: { runId?: string; incidentId?: string; status?: TaskStatus[] }): Promise<Task[]> {
  if (filter.status !== undefined && filter.status.length === 0) return [];
  let query = ctx.db.selectFrom('tasks').selectAll();
  if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
  if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.status !== undefined) query = query.where('status', 'in', filter.status);
  const rows = await query.orderBy('seq').execute();
  return rows.map(toTask);
}

/**
 * Optimistic update: applies only while the stored version is `expectedVersion`, bumps it, and
 * returns the new task; undefined when someone else changed it first (or it does not exist).
 * A key present with `undefined` clears an optional field (a resumed task drops `waitUntil`).
 */
export async function updateTask(ctx: QueryContext, id: string, expectedVersion: number, patch: TaskPatch, now: string): Promise<Task | undefined> {
  const row = await ctx.db
    .updateTable('tasks')
    .set((eb) => ({ ...toTaskChanges(patch, toMillis(now, 'now')), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
  return row ? toTask(row) : undefined;
}

function toTaskChanges(patch: TaskPatch, nowMs: number): Updateable<TasksTable> {
  const has = (key: keyof TaskPatch): boolean => Object.prototype.hasOwnProperty.call(patch, key);
  const changes: Updateable<TasksTable> = { updated_at: nowMs };
  if (patch.status !== undefined) changes.status = patch.status;
  if (patch.attempts !== undefined) changes.attempts = patch.attempts;
  if (has('state')) changes.state = toJsonTextUnlessUndefined(patch.state);
  if (has('output')) changes.output = toJsonTextUnlessUndefined(patch.output);
  if (has('port')) changes.port = patch.port ?? null;
  if (has('error')) changes.error = patch.error ?? null;
  if (has('waitUntil')) changes.wait_until = toMillisOrNull(patch.waitUntil, 'task.waitUntil');
  if (has('waitFor')) changes.wait_for = patch.waitFor ?? null;
  if (has('completedAt')) changes.completed_at = toMillisOrNull(patch.completedAt, 'task.completedAt');
  return changes;
}

function toTask(row: Selectable<TasksTable>): Task {
  return dropUndefined<Task>({
    id: row.id,
    runId: row.run_id,
    incidentId: row.incident_id,
    boxId: row.box_id,
    status: row.status as TaskStatus,
    state: fromJsonTextOrUndefined<unknown>(row.state),
    output: fromJsonTextOrUndefined<unknown>(row.output),
    port: orUndefined(row.port),
    error: orUndefined(row.error),
    attempts: Number(row.attempts),
    waitUntil: toIsoOrUndefined(row.wait_until),
    waitFor: orUndefined(row.wait_for),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    completedAt: toIsoOrUndefined(row.completed_at),
    version: Number(row.version),
  });
}
