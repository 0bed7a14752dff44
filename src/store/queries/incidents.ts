import { randomUUID } from 'node:crypto';
import { sql, type Selectable, type Updateable } from 'kysely';
import type { Severity } from '../../alerts/alert.js';
import type {
  Incident,
  IncidentChannel,
  IncidentIssue,
  IncidentMeeting,
  IncidentStatus,
} from '../../incidents/incident.js';
import type { IncidentsTable } from '../schema.js';
import type { QueryContext } from '../query-context.js';
import { compileOnce } from '../compile-once.js';
import { StoreError } from '../store-error.js';
import {
  clampLimit,
  dropUndefined,
  fromJsonText,
  fromJsonTextOrUndefined,
  toIso,
  toIsoOrUndefined,
  toJsonText,
  toJsonTextOrNull,
  toMillis,
  toMillisOrNull,
} from '../encode.js';

type IncidentRow = Selectable<IncidentsTable>;
type IncidentPatch = Partial<Omit<Incident, 'id' | 'number' | 'createdAt'>>;
type StatusFilter = IncidentStatus | 'open';

/** Creates an incident with the next number: a sequence (PostgreSQL) or max + 1 in the insert. */
export async function createIncident(
  ctx: QueryContext,
  incident: Omit<Incident, 'id' | 'number'> & { id?: string },
): Promise<Incident> {
  const row = await ctx.db
    .insertInto('incidents')
    .values({
      id: incident.id ?? randomUUID(),
      // SQLite runs one writing statement at a time, so max + 1 inside the insert cannot repeat.
      ...(ctx.caps.numberFromSequence
        ? {}
        : { number: sql<number>`(select coalesce(max("number"), 0) + 1 from "incidents")` }),
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      group_key: incident.groupKey,
      labels: toJsonText(incident.labels ?? {}),
      created_at: toMillis(incident.createdAt, 'incident.createdAt'),
      updated_at: toMillis(incident.updatedAt, 'incident.updatedAt'),
      mitigated_at: toMillisOrNull(incident.mitigatedAt, 'incident.mitigatedAt'),
      resolved_at: toMillisOrNull(incident.resolvedAt, 'incident.resolvedAt'),
      acknowledged_at: toMillisOrNull(incident.acknowledgedAt, 'incident.acknowledgedAt'),
      responders: toJsonText(incident.responders ?? []),
      channels: toJsonText(incident.channels ?? []),
      meeting: toJsonTextOrNull(incident.meeting),
      issue: toJsonTextOrNull(incident.issue),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) {
        throw new StoreError('STORE_CONFLICT', `an open incident with group key ${JSON.stringify(incident.groupKey)} already exists; join it instead`);
      }
      throw error;
    });
  return toIncident(row);
}

/** SQLite's and PostgreSQL's ways of saying a unique index refused the row. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** By id, or by number ("42" or "INC-42"). */
// Read several times per job: compiled once (compile-once.ts).
const selectIncidentById = compileOnce((db, id: string) => db.selectFrom('incidents').selectAll().where('id', '=', id));

export async function getIncident(ctx: QueryContext, idOrNumber: string): Promise<Incident | undefined> {
  const [byId] = (await selectIncidentById(ctx.db, idOrNumber)).rows;
  if (byId) return toIncident(byId);
  const number = parseIncidentNumber(idOrNumber);
  if (number === undefined) return undefined;
  const byNumber = await ctx.db.selectFrom('incidents').selectAll().where('number', '=', number).executeTakeFirst();
  return byNumber ? toIncident(byNumber) : undefined;
}

/** The newest unresolved incident of a group. */
export async function findOpenIncident(ctx: QueryContext, groupKey: string): Promise<Incident | undefined> {
  const row = await ctx.db
    .selectFrom('incidents')
    .selectAll()
    .where('group_key', '=', groupKey)
    .where('status', '<>', 'resolved')
    .orderBy('created_at', 'desc')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

/** The newest incident of a group resolved at or after `since`. */
export async function findResolvedIncidentSince(
  ctx: QueryContext,
  groupKey: string,
  since: string,
): Promise<Incident | undefined> {
  const row = await ctx.db
    .selectFrom('incidents')
    .selectAll()
    .where('group_key', '=', groupKey)
    .where('status', '=', 'resolved')
    .where('resolved_at', '>=', toMillis(since, 'since'))
    .orderBy('created_at', 'desc')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

/** Newest first; `open` means not resolved. */
export async function listIncidents(
  ctx: QueryContext,
  filter: { status?: StatusFilter; limit?: number; offset?: number },
): Promise<Incident[]> {
  let query = ctx.db.selectFrom('incidents').selectAll();
  if (filter.status === 'open') query = query.where('status', '<>', 'resolved');
  else if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('number', 'desc')
    .limit(clampLimit(filter.limit, 50, 1_000))
    .offset(clampLimit(filter.offset, 0, Number.MAX_SAFE_INTEGER))
    .execute();
  return rows.map(toIncident);
}

/** How many incidents match; `open` means not resolved. */
export async function countIncidents(ctx: QueryContext, filter: { status?: StatusFilter }): Promise<number> {
  let query = ctx.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n'));
  if (filter.status === 'open') query = query.where('status', '<>', 'resolved');
  else if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Applies a patch and returns the incident. A key present with `undefined` clears an optional
 * field (reopening clears `resolvedAt`); unknown keys are ignored. Throws STORE_NOT_FOUND.
 */
export async function updateIncident(ctx: QueryContext, id: string, patch: IncidentPatch): Promise<Incident> {
  const changes = toIncidentChanges(patch);
  const row =
    Object.keys(changes).length === 0
      ? await ctx.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst()
      : await ctx.db.updateTable('incidents').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw new StoreError('STORE_NOT_FOUND', `incident ${JSON.stringify(id)} does not exist`);
  return toIncident(row);
}

function toIncidentChanges(patch: IncidentPatch): Updateable<IncidentsTable> {
  const has = (key: keyof IncidentPatch): boolean => Object.prototype.hasOwnProperty.call(patch, key);
  const changes: Updateable<IncidentsTable> = {};
  // Required fields: a present-but-undefined value is ignored rather than written as NULL.
  if (patch.title !== undefined) changes.title = patch.title;
  if (patch.severity !== undefined) changes.severity = patch.severity;
  if (patch.status !== undefined) changes.status = patch.status;
  if (patch.groupKey !== undefined) changes.group_key = patch.groupKey;
  if (patch.labels !== undefined) changes.labels = toJsonText(patch.labels);
  if (patch.updatedAt !== undefined) changes.updated_at = toMillis(patch.updatedAt, 'incident.updatedAt');
  if (patch.responders !== undefined) changes.responders = toJsonText(patch.responders);
  if (patch.channels !== undefined) changes.channels = toJsonText(patch.channels);
  // Optional fields: present means set, or clear when undefined.
  if (has('mitigatedAt')) changes.mitigated_at = toMillisOrNull(patch.mitigatedAt, 'incident.mitigatedAt');
  if (has('resolvedAt')) changes.resolved_at = toMillisOrNull(patch.resolvedAt, 'incident.resolvedAt');
  if (has('acknowledgedAt')) {
    changes.acknowledged_at = toMillisOrNull(patch.acknowledgedAt, 'incident.acknowledgedAt');
  }
  if (has('meeting')) changes.meeting = toJsonTextOrNull(patch.meeting);
  if (has('issue')) changes.issue = toJsonTextOrNull(patch.issue);
  return changes;
}

function parseIncidentNumber(text: string): number | undefined {
  const match = /^(?:inc-)?(\d{1,15})$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

function toIncident(row: IncidentRow): Incident {
  return dropUndefined<Incident>({
    id: row.id,
    number: Number(row.number),
    title: row.title,
    severity: row.severity as Severity,
    status: row.status as IncidentStatus,
    groupKey: row.group_key,
    labels: fromJsonText<Record<string, string>>(row.labels),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    mitigatedAt: toIsoOrUndefined(row.mitigated_at),
    resolvedAt: toIsoOrUndefined(row.resolved_at),
    acknowledgedAt: toIsoOrUndefined(row.acknowledged_at),
    responders: fromJsonText<string[]>(row.responders),
    channels: fromJsonText<IncidentChannel[]>(row.channels),
    meeting: fromJsonTextOrUndefined<IncidentMeeting>(row.meeting),
    issue: fromJsonTextOrUndefined<IncidentIssue>(row.issue),
  });
}
