import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Severity } from '../../alerts/alert.js';
import type { Incident, IncidentChannel, IncidentIssue, IncidentMeeting, IncidentRoles, RoleHolder, IncidentStatus } from '../../incidents/incident.js';
import type { IncidentsTable } from '../schema.js';
import { countRows, type QueryContext } from '../query-context.js';
import { compileOnce } from '../compile-once.js';
import { StoreError } from '../store-error.js';
import { addIncidentChannels, addIncidentResponders, loadIncidentMembers } from './incident-members.js';
import { clampLimit, dropUndefined, fromJsonText, fromJsonTextOrUndefined, toIso, toIsoOrUndefined, toJsonText, toJsonTextOrNull, toMillis, toMillisOrNull } from '../encode.js';

type IncidentRow = Selectable<IncidentsTable>;
/** What a patch may change; responders and channels are added through their own tables. */
export type IncidentPatch = Partial<Omit<Incident, 'id' | 'number' | 'createdAt' | 'version' | 'responders' | 'channels'>>;
type StatusFilter = IncidentStatus | 'open';

/** Creates an incident with the next number: a sequence (PostgreSQL) or max + 1 in the insert. */
export async function createIncident(ctx: QueryContext, incident: Omit<Incident, 'id' | 'number' | 'version'> & { id?: string }): Promise<Incident> {
  const insert = ctx.caps.numberFromSequence ? insertIncidentNumberedBySequence : insertIncidentNumberedInline;
  const values: Record<(typeof INCIDENT_COLUMNS)[number], unknown> = {
    id: incident.id ?? randomUUID(),
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    group_key: incident.groupKey,
    source: incident.source ?? null,
    labels: toJsonText(incident.labels ?? {}),
    created_at: toMillis(incident.createdAt, 'incident.createdAt'),
    updated_at: toMillis(incident.updatedAt, 'incident.updatedAt'),
    mitigated_at: toMillisOrNull(incident.mitigatedAt, 'incident.mitigatedAt'),
    resolved_at: toMillisOrNull(incident.resolvedAt, 'incident.resolvedAt'),
    acknowledged_at: toMillisOrNull(incident.acknowledgedAt, 'incident.acknowledgedAt'),
    acknowledged_by: incident.acknowledgedBy ?? null,
    commander: toJsonTextOrNull(incident.roles?.commander),
    communications_lead: toJsonTextOrNull(incident.roles?.communications),
    // Kept for older versions only; the child tables hold responders and channels.
    responders: '[]',
    channels: '[]',
    meeting: toJsonTextOrNull(incident.meeting),
    issue: toJsonTextOrNull(incident.issue),
  };
  const row = await insert(ctx.db, ...INCIDENT_COLUMNS.map((column) => values[column]))
    .then(({ rows }) => {
      if (!rows[0]) throw new Error('the incident insert returned no row');
      return rows[0];
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) {
        throw new StoreError('STORE_CONFLICT', `an open incident with group key ${JSON.stringify(incident.groupKey)} already exists; join it instead`);
      }
      throw error;
    });
  const responders = incident.responders ?? [];
  const channels = incident.channels ?? [];
  // A new incident without members has none to read back (the usual case: an alert opened it).
  if (responders.length === 0 && channels.length === 0) return toIncident(row, { responders: [], channels: [] });
  await addIncidentResponders(ctx, row.id, responders, incident.createdAt);
  await addIncidentChannels(ctx, row.id, channels, incident.createdAt);
  return (await withMembers(ctx, [row]))[0];
}

const INCIDENT_COLUMNS = [
  'id',
  'title',
  'severity',
  'status',
  'group_key',
  'source',
  'labels',
  'created_at',
  'updated_at',
  'mitigated_at',
  'resolved_at',
  'acknowledged_at',
  'acknowledged_by',
  'commander',
  'communications_lead',
  'responders',
  'channels',
  'meeting',
  'issue',
] as const;

/**
 * The incident insert, one per dialect's numbering, compiled once (compile-once.ts): one parameter
 * per column. SQLite runs one writing statement at a time, so max + 1 inside the insert cannot repeat.
 */
function incidentInsert(numberInline: boolean) {
  return compileOnce((db, ...values: unknown[]) =>
    db
      .insertInto('incidents')
      .values({
        ...(numberInline ? { number: sql<number>`(select coalesce(max("number"), 0) + 1 from "incidents")` } : {}),
        ...(Object.fromEntries(INCIDENT_COLUMNS.map((column, i) => [column, values[i]])) as unknown as Insertable<IncidentsTable>),
      })
      .returningAll(),
  );
}
const insertIncidentNumberedInline = incidentInsert(true);
const insertIncidentNumberedBySequence = incidentInsert(false);

/** SQLite's and PostgreSQL's ways of saying a unique index refused the row. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/*
 * The incident by id with its responders and channels, in one statement: each as a JSON array
 * aggregated in the order `loadIncidentMembers` gives (responders by arrival, channels by
 * position). Read several times per job: compiled once per dialect (compile-once.ts).
 */
const selectIncidentWithMembersSqlite = compileOnce((db, id: string) =>
  db
    .selectFrom('incidents')
    .selectAll()
    .select([
      sql<string>`(select json_group_array("user_id" order by "added_at", "user_id") from "incident_responders" where "incident_id" = "incidents"."id")`.as('member_responders'),
      sql<string>`(select json_group_array(json_array("adapter", "channel_id", "name", "role", "url") order by "position", "added_at", "adapter") from "incident_channels" where "incident_id" = "incidents"."id")`.as(
        'member_channels',
      ),
    ])
    .where('id', '=', id),
);
const selectIncidentWithMembersPostgres = compileOnce((db, id: string) =>
  db
    .selectFrom('incidents')
    .selectAll()
    .select([
      sql<string>`coalesce((select json_agg("user_id" order by "added_at", "user_id") from "incident_responders" where "incident_id" = "incidents"."id"), '[]'::json)`.as('member_responders'),
      sql<string>`coalesce((select json_agg(json_build_array("adapter", "channel_id", "name", "role", "url") order by "position", "added_at", "adapter") from "incident_channels" where "incident_id" = "incidents"."id"), '[]'::json)`.as(
        'member_channels',
      ),
    ])
    .where('id', '=', id),
);

/** A JSON array as SQLite (text) or PostgreSQL (parsed) returns it. */
function jsonArray<T>(value: unknown): T[] {
  return (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as T[];
}

/** By id, or by number ("42" or "INC-42"). By id, one statement. */
export async function getIncident(ctx: QueryContext, idOrNumber: string): Promise<Incident | undefined> {
  const select = ctx.caps.dialect === 'postgres' ? selectIncidentWithMembersPostgres : selectIncidentWithMembersSqlite;
  const [byId] = (await select(ctx.db, idOrNumber)).rows;
  if (byId) {
    const { member_responders, member_channels, ...row } = byId;
    const channels = jsonArray<[string, string, string, string, string | null]>(member_channels).map(([adapter, id, name, role, url]) => ({
      adapter,
      id,
      name,
      role: role as IncidentChannel['role'],
      ...(url ? { url } : {}),
    }));
    return toIncident(row, { responders: jsonArray<string>(member_responders), channels });
  }
  const number = parseIncidentNumber(idOrNumber);
  if (number === undefined) return undefined;
  const byNumber = await ctx.db.selectFrom('incidents').selectAll().where('number', '=', number).executeTakeFirst();
  return byNumber ? (await withMembers(ctx, [byNumber]))[0] : undefined;
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
  return row ? (await withMembers(ctx, [row]))[0] : undefined;
}

/** The newest incident of a group resolved at or after `since`. */
export async function findResolvedIncidentSince(ctx: QueryContext, groupKey: string, since: string): Promise<Incident | undefined> {
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
  return row ? (await withMembers(ctx, [row]))[0] : undefined;
}

/** Newest first; `open` means not resolved. */
export async function listIncidents(ctx: QueryContext, filter: { status?: StatusFilter; limit?: number; offset?: number; search?: string }): Promise<Incident[]> {
  let query = ctx.db.selectFrom('incidents').selectAll();
  if (filter.search) {
    // Words in the title, any case; `%` and `_` typed by a person are literal.
    const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(title) like ${pattern} escape '\\'`);
  }
  if (filter.status === 'open') query = query.where('status', '<>', 'resolved');
  else if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('number', 'desc')
    .limit(clampLimit(filter.limit, 50, 1_000))
    .offset(clampLimit(filter.offset, 0, Number.MAX_SAFE_INTEGER))
    .execute();
  return withMembers(ctx, rows);
}

/** How many incidents match; `open` means not resolved. */
export async function countIncidents(ctx: QueryContext, filter: { status?: StatusFilter }): Promise<number> {
  let query = ctx.db.selectFrom('incidents');
  if (filter.status === 'open') query = query.where('status', '<>', 'resolved');
  else if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return countRows(query);
}

/**
 * Applies a patch and returns the incident, its version bumped. With `expectedVersion`, only if
 * the incident is still at that version (else StoreError STORE_VERSION_CONFLICT: decide again on
 * the fresh state). A key present with `undefined` clears an optional field (reopening clears
 * `resolvedAt`); unknown keys are ignored. Throws STORE_NOT_FOUND.
 */
export async function updateIncident(ctx: QueryContext, id: string, patch: IncidentPatch, expectedVersion?: number): Promise<Incident> {
  const changes = toIncidentChanges(patch);
  let update = ctx.db
    .updateTable('incidents')
    .set({ ...changes, version: sql<number>`"version" + 1` })
    .where('id', '=', id);
  if (expectedVersion !== undefined) update = update.where('version', '=', expectedVersion);
  const row = await update.returningAll().executeTakeFirst();
  if (!row) {
    const exists = await ctx.db.selectFrom('incidents').select('version').where('id', '=', id).executeTakeFirst();
    if (!exists) throw new StoreError('STORE_NOT_FOUND', `incident ${JSON.stringify(id)} does not exist`);
    throw new StoreError('STORE_VERSION_CONFLICT', `incident ${JSON.stringify(id)} changed (version ${exists.version}, expected ${expectedVersion}); decide again on its current state`);
  }
  return (await withMembers(ctx, [row]))[0];
}

/** Rows with their responders and channels from the child tables. */
async function withMembers(ctx: QueryContext, rows: IncidentRow[]): Promise<Incident[]> {
  const members = await loadIncidentMembers(
    ctx,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toIncident(row, members.get(row.id)!));
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
  // Optional fields: present means set, or clear when undefined.
  if (has('mitigatedAt')) changes.mitigated_at = toMillisOrNull(patch.mitigatedAt, 'incident.mitigatedAt');
  if (has('resolvedAt')) changes.resolved_at = toMillisOrNull(patch.resolvedAt, 'incident.resolvedAt');
  if (has('acknowledgedAt')) {
    changes.acknowledged_at = toMillisOrNull(patch.acknowledgedAt, 'incident.acknowledgedAt');
  }
  if (has('acknowledgedBy')) changes.acknowledged_by = patch.acknowledgedBy ?? null;
  // Only the roles named in the patch change (present with undefined clears one).
  if (patch.roles && 'commander' in patch.roles) changes.commander = toJsonTextOrNull(patch.roles.commander);
  if (patch.roles && 'communications' in patch.roles) changes.communications_lead = toJsonTextOrNull(patch.roles.communications);
  if (has('meeting')) changes.meeting = toJsonTextOrNull(patch.meeting);
  if (has('issue')) changes.issue = toJsonTextOrNull(patch.issue);
  return changes;
}

function parseIncidentNumber(text: string): number | undefined {
  const match = /^(?:inc-)?(\d{1,15})$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

function toIncident(row: IncidentRow, members: Pick<Incident, 'responders' | 'channels'>): Incident {
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
    acknowledgedBy: row.acknowledged_by ?? undefined,
    roles: rolesOf(row),
    version: Number(row.version),
    source: row.source ?? undefined,
    responders: members.responders,
    channels: members.channels,
    meeting: fromJsonTextOrUndefined<IncidentMeeting>(row.meeting),
    issue: fromJsonTextOrUndefined<IncidentIssue>(row.issue),
  });
}

function rolesOf(row: IncidentRow): IncidentRoles | undefined {
  const roles = dropUndefined<IncidentRoles>({
    commander: fromJsonTextOrUndefined<RoleHolder>(row.commander),
    communications: fromJsonTextOrUndefined<RoleHolder>(row.communications_lead),
  });
  return Object.keys(roles).length > 0 ? roles : undefined;
}

/** How many incidents `source` opened at or after `since`, storm incidents not counted. */
export async function countIncidentsOpenedBy(ctx: QueryContext, source: string, since: string): Promise<number> {
  return countRows(ctx.db.selectFrom('incidents').where('source', '=', source).where('created_at', '>=', toMillis(since, 'since')).where('group_key', 'not like', 'storm:%'));
}

/** The open incident (a storm) holding alerts of `groupKey` under another group key, if any. */
export async function findOpenIncidentHolding(ctx: QueryContext, groupKey: string): Promise<Incident | undefined> {
  const row = await ctx.db
    .selectFrom('alerts')
    .innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
    .selectAll('incidents')
    .where('alerts.group_key', '=', groupKey)
    .where('incidents.status', '<>', 'resolved')
    .where('incidents.group_key', '<>', groupKey)
    .limit(1)
    .executeTakeFirst();
  return row ? (await withMembers(ctx, [row]))[0] : undefined;
}

/** What grouping an alert of one group looks at first, read together by `findGroupIncidents`. */
export interface GroupIncidents {
  /** The group's newest unresolved incident (`findOpenIncident`). */
  open?: Incident;
  /** An open incident (a storm) holding the group's alerts under another key (`findOpenIncidentHolding`). */
  holding?: Incident;
  /** The group's newest incident resolved at or after `resolvedSince` (`findResolvedIncidentSince`). */
  resolved?: Incident;
}

// Once per alert: compiled once (compile-once.ts).
const selectGroupIncidents = compileOnce((db, openKey: string, holdingKey: string, otherKey: string, resolvedKey: string, resolvedSince: number) =>
  db
    .selectFrom((eb) =>
      eb
        .selectFrom('incidents')
        .select(sql<number>`0`.as('which'))
        .selectAll('incidents')
        .where('group_key', '=', openKey)
        .where(sql<boolean>`"incidents"."status" <> 'resolved'`)
        .orderBy('created_at', 'desc')
        .orderBy('number', 'desc')
        .limit(sql.lit(1))
        .as('o'),
    )
    .selectAll()
    .unionAll((eb) =>
      eb
        .selectFrom((inner) =>
          inner
            .selectFrom('alerts')
            .innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
            .select(sql<number>`1`.as('which'))
            .selectAll('incidents')
            .where('alerts.group_key', '=', holdingKey)
            .where(sql<boolean>`"incidents"."status" <> 'resolved'`)
            .where('incidents.group_key', '<>', otherKey)
            .limit(sql.lit(1))
            .as('h'),
        )
        .selectAll(),
    )
    .unionAll((eb) =>
      eb
        .selectFrom((inner) =>
          inner
            .selectFrom('incidents')
            .select(sql<number>`2`.as('which'))
            .selectAll('incidents')
            .where('group_key', '=', resolvedKey)
            .where(sql<boolean>`"incidents"."status" = 'resolved'`)
            .where('resolved_at', '>=', resolvedSince)
            .orderBy('created_at', 'desc')
            .orderBy('number', 'desc')
            .limit(sql.lit(1))
            .as('f'),
        )
        .selectAll(),
    ),
);

/**
 * `findOpenIncident`, `findOpenIncidentHolding` and `findResolvedIncidentSince` of one group in one
 * statement; only the incidents found are read with their members.
 */
export async function findGroupIncidents(ctx: QueryContext, groupKey: string, resolvedSince: string): Promise<GroupIncidents> {
  const { rows } = await selectGroupIncidents(ctx.db, groupKey, groupKey, groupKey, groupKey, toMillis(resolvedSince, 'resolvedSince'));
  const found = await withMembers(ctx, rows);
  const result: GroupIncidents = {};
  rows.forEach((row, i) => {
    const which = (['open', 'holding', 'resolved'] as const)[Number(row.which)];
    if (which && !result[which]) result[which] = found[i];
  });
  return result;
}

/** The open incident holding the alert of `source` whose label `name` is `value` (Opsgenie's alert id). */
export async function findOpenIncidentByAlertLabel(ctx: QueryContext, source: string, name: string, value: string): Promise<Incident | undefined> {
  // Labels are JSON text written by JSON.stringify, so the pair appears verbatim (PostgreSQL
  // spells instr strpos); only the alerts of open incidents are searched.
  const pair = JSON.stringify({ [name]: value }).slice(1, -1);
  const find = ctx.caps.dialect === 'postgres' ? sql<number>`strpos("alerts"."labels", ${pair})` : sql<number>`instr("alerts"."labels", ${pair})`;
  const row = await ctx.db
    .selectFrom('incidents')
    .innerJoin('alerts', 'alerts.incident_id', 'incidents.id')
    .selectAll('incidents')
    .where('incidents.status', '<>', 'resolved')
    .where('alerts.source', '=', source)
    .where(find, '>', 0)
    .limit(1)
    .executeTakeFirst();
  return row ? (await withMembers(ctx, [row]))[0] : undefined;
}

/**
 * Serialises the storm guard's count-then-open for one source until the transaction ends:
 * PostgreSQL takes a transaction advisory lock; SQLite's writers are serialised already.
 */
export async function lockIncidentSource(ctx: QueryContext, source: string): Promise<void> {
  if (ctx.caps.dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${`sidekick-storm:${source}`}))`.execute(ctx.db);
}
