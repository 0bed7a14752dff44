import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Task, TaskStatus } from '../../model/run.js';
import type { TasksTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import type { Run } from '../../model/run.js';
import { compileOnce } from '../compile-once.js';
import { getRun } from './runs.js';
import { dropUndefined, fromJsonTextOrUndefined, orUndefined, toIso, toIsoOrUndefined, toJsonTextUnlessUndefined, toMillis, toMillisOrNull } from '../encode.js';

type TaskPatch = Partial<Omit<Task, 'id' | 'runId' | 'incidentId' | 'boxId' | 'createdAt' | 'version'>>;

/**
 * Creates a task at version 1. Creating an id that exists returns the stored task (first write
 * wins), so a job retried after a crash does not fail on the task it already made.
 */
export async function createTask(ctx: QueryContext, task: Omit<Task, 'createdAt' | 'updatedAt' | 'version'>, now: string): Promise<Task> {
  const nowMs = toMillis(now, 'now');
  const [row] = (
    await insertTask(ctx.db, {
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
  ).rows;
  const stored = row ?? (await ctx.db.selectFrom('tasks').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow());
  return toTask(stored);
}

type TaskRow = Insertable<TasksTable>;
const TASK_COLUMNS = [
  'id',
  'run_id',
  'incident_id',
  'box_id',
  'status',
  'state',
  'output',
  'port',
  'error',
  'attempts',
  'wait_until',
  'wait_for',
  'created_at',
  'updated_at',
  'completed_at',
  'version',
] as const;

// Once or more per task job: compiled once (compile-once.ts), one parameter per column.
const insertTaskRow = compileOnce((db, ...values: unknown[]) =>
  db
    .insertInto('tasks')
    .values(Object.fromEntries(TASK_COLUMNS.map((column, i) => [column, values[i]])) as unknown as TaskRow)
    .onConflict((oc) => oc.doNothing())
    .returningAll(),
);

function insertTask(db: QueryContext['db'], row: Required<Pick<TaskRow, (typeof TASK_COLUMNS)[number]>>) {
  return insertTaskRow(db, ...TASK_COLUMNS.map((column) => row[column]));
}

/** One task. */
export async function getTask(ctx: QueryContext, id: string): Promise<Task | undefined> {
  const row = await ctx.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTask(row) : undefined;
}

// Once per task job: compiled once (compile-once.ts).
const selectTasksOfRunOf = compileOnce((db, taskId: string) =>
  db
    .selectFrom('tasks')
    .selectAll()
    .where('run_id', 'in', db.selectFrom('tasks as own').select('own.run_id').where('own.id', '=', taskId))
    .orderBy('seq'),
);

/**
 * What a task job needs of its task in two statements: the task, its run, and every task of the
 * run oldest first (the task among them). Undefined when the task does not exist.
 */
export async function getTaskRun(ctx: QueryContext, taskId: string): Promise<{ task: Task; run: Run; tasks: Task[] } | undefined> {
  const tasks = (await selectTasksOfRunOf(ctx.db, taskId)).rows.map(toTask);
  const task = tasks.find((each) => each.id === taskId);
  if (!task) return undefined;
  const run = await getRun(ctx, task.runId);
  return run ? { task, run, tasks } : undefined;
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
  const changes = toTaskChanges(patch, toMillis(now, 'now'));
  const columns = Object.keys(changes) as (keyof Updateable<TasksTable>)[];
  const [row] = (await taskUpdateSetting(columns)(ctx.db, ...columns.map((column) => changes[column]), id, expectedVersion)).rows;
  return row ? toTask(row) : undefined;
}

/**
 * The optimistic task update for one set of columns, compiled once (compile-once.ts): a patch's
 * shape is one of a few (a box done, waiting, resumed), its values are parameters.
 */
function taskUpdateSetting(columns: readonly (keyof Updateable<TasksTable>)[]) {
  const key = columns.join(',');
  let update = taskUpdates.get(key);
  if (!update) {
    update = compileOnce((db, ...args: unknown[]) =>
      db
        .updateTable('tasks')
        .set({ ...(Object.fromEntries(columns.map((column, i) => [column, args[i]])) as Updateable<TasksTable>), version: sql<number>`"version" + 1` })
        .where('id', '=', args[columns.length] as string)
        .where('version', '=', args[columns.length + 1] as number)
        .returningAll(),
    );
    taskUpdates.set(key, update);
  }
  return update;
}
const taskUpdates = new Map<string, ReturnType<typeof compileOnce<unknown[], Selectable<TasksTable>>>>();

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
