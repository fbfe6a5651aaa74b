// The only SQL of the dossiers module's tables (migrations/0007_dossiers.sql).
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { queryRows as rows } from '../../platform/db/rows.ts';
import type { DossierStatus, WorkflowDefinition } from './dossier-workflow.ts';

export type Channel = 'in_person' | 'online' | 'postal';
export type Digitisation =
  'scanned' | 'electronic' | 'shown_only' | 'verification_result' | 'secret' | 'not_provided';
export type DeadlineStateName = 'on_track' | 'due_soon' | 'overdue';

export interface ApplicantData {
  kind: 'person' | 'organisation';
  name: string;
  idNumber: string;
  address: string;
  phone: string;
  email: string;
}

export interface RepresentativeData extends ApplicantData {
  authorisationDocument: string;
}

export interface FeeLine {
  text: string;
  amountVnd: number | null;
  per?: string | undefined;
}

export interface DossierRow {
  unit_code: string;
  code: string;
  procedure_code: string;
  procedure_version: number;
  procedure_name: string;
  processing_unit_code: string;
  channel: Channel;
  applicant: ApplicantData;
  representative: RepresentativeData | null;
  applicant_name: string;
  request_summary: string;
  sets_count: number;
  return_method: string;
  fees: FeeLine[];
  status: DossierStatus;
  assigned_to: string | null;
  assigned_name: string | null;
  filed_at: Date;
  received_at: Date | null;
  due_at: Date | null;
  original_due_at: Date | null;
  deadline: Record<string, unknown> | null;
  deadline_state: DeadlineStateName | null;
  supplement_requests: number;
  rescheduled: boolean;
  result_at: Date | null;
  finished_at: Date | null;
  returned_at: Date | null;
  register_book: string;
  register_number: number;
  tracking_secret: string;
  version: number;
  created_by: string | null;
  updated_at: Date;
  owner_user_id: string | null;
  owner_contact: string | null;
  eform_answers: Record<string, unknown> | null;
}

export interface ActionRow {
  seq: number;
  action: string;
  status_after: DossierStatus;
  at: Date;
  actor_id: string | null;
  actor_name: string;
  actor_role: string | null;
  acting_unit_code: string;
  transaction_id: string;
  details: Record<string, unknown>;
}

/** What was given at intake for one position of the procedure version's components list. */
export interface GivenComponentRow {
  position: number;
  is_provided: boolean;
  digitisation: Digitisation;
}

/** A component as shown: the version's entry (name, counts, required) with what was given for it. */
export interface ComponentRow extends GivenComponentRow {
  name: string;
  originals: number | null;
  copies: number | null;
  is_required: boolean;
}

export interface FileRow {
  id: string;
  dossier_code: string;
  kind: 'component' | 'result';
  component_position: number | null;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_at: Date;
  uploaded_by: string | null;
}

export interface UploadRow {
  id: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_at: Date;
  /** Null for a guest filing online. */
  uploaded_by: string | null;
}

/** The next values of a unit's sequences, in the order of `scopes` (the row locks order concurrent intakes). */
export async function nextCounters<T extends string[]>(
  db: Executor,
  unitCode: string,
  scopes: [...T],
): Promise<{ [K in keyof T]: number }> {
  const result = await rows<{ scope: string; value: number }>(
    db,
    sql`insert into dossier_counters (unit_code, scope, value)
        select ${unitCode}, scope, 1 from (values ${sql.join(
          scopes.map((scope) => sql`(${scope}::text)`),
          sql`, `,
        )}) as v (scope)
        on conflict (unit_code, scope) do update set value = dossier_counters.value + 1
        returning scope, value`,
  );
  return scopes.map((scope) => result.find((r) => r.scope === scope)!.value) as { [K in keyof T]: number };
}

export interface NewDossier {
  unitCode: string;
  code: string;
  procedureCode: string;
  procedureVersion: number;
  procedureName: string;
  processingUnitCode: string;
  channel: Channel;
  applicant: ApplicantData;
  representative: RepresentativeData | null;
  applicantSearch: string;
  requestSummary: string;
  setsCount: number;
  returnMethod: string;
  fees: FeeLine[];
  status: DossierStatus;
  filedAt: Date;
  receivedAt: Date | null;
  dueAt: Date | null;
  deadline: Record<string, unknown> | null;
  deadlineState: DeadlineStateName | null;
  finishedAt: Date | null;
  registerBook: string;
  registerNumber: number;
  trackingSecret: string;
  createdBy: string | null;
  ownerUserId: string | null;
  ownerContact: string | null;
  eformAnswers: Record<string, unknown> | null;
}

export async function insertDossier(db: Executor, d: NewDossier): Promise<DossierRow> {
  const [row] = await rows<DossierRow>(
    db,
    sql`
    insert into dossiers (unit_code, code, procedure_code, procedure_version, procedure_name, processing_unit_code,
      channel, applicant, representative, applicant_name, applicant_search, request_summary, sets_count,
      return_method, fees, status, filed_at, received_at, due_at, original_due_at, deadline, deadline_state,
      deadline_checked_at, finished_at, register_book, register_number, tracking_secret, version, created_by,
      updated_at, owner_user_id, owner_contact, eform_answers)
    values (${d.unitCode}, ${d.code}, ${d.procedureCode}, ${d.procedureVersion}, ${d.procedureName},
      ${d.processingUnitCode}, ${d.channel}, ${JSON.stringify(d.applicant)}::jsonb,
      ${d.representative ? JSON.stringify(d.representative) : null}::jsonb, ${d.applicant.name}, ${d.applicantSearch},
      ${d.requestSummary}, ${d.setsCount}, ${d.returnMethod}, ${JSON.stringify(d.fees)}::jsonb, ${d.status},
      ${d.filedAt}, ${d.receivedAt}, ${d.dueAt}, ${d.dueAt}, ${d.deadline ? JSON.stringify(d.deadline) : null}::jsonb,
      ${d.deadlineState}, ${d.deadlineState ? d.filedAt : null}, ${d.finishedAt}, ${d.registerBook},
      ${d.registerNumber}, ${d.trackingSecret}, 1, ${d.createdBy}, ${d.filedAt}, ${d.ownerUserId},
      ${d.ownerContact}, ${d.eformAnswers ? JSON.stringify(d.eformAnswers) : null}::jsonb)
    returning *`,
  );
  return row!;
}

export async function findDossier(
  db: Executor,
  unitCode: string,
  code: string,
  options: { forUpdate?: boolean } = {},
): Promise<DossierRow | undefined> {
  const [row] = await rows<DossierRow>(
    db,
    sql`select * from dossiers where unit_code = ${unitCode} and code = ${code} ${options.forUpdate ? sql`for update` : sql``}`,
  );
  return row;
}

/** The columns an action may change, and the version it moves to. */
export interface DossierChange {
  status: DossierStatus;
  receivedAt?: Date;
  processingUnitCode?: string;
  assignedTo?: string | null;
  assignedName?: string | null;
  dueAt?: Date | null;
  deadline?: Record<string, unknown> | null;
  deadlineState?: DeadlineStateName | null;
  supplementRequests?: number;
  rescheduled?: boolean;
  resultAt?: Date | null;
  finishedAt?: Date | null;
  returnedAt?: Date | null;
}

export async function updateDossier(
  db: Executor,
  unitCode: string,
  code: string,
  version: number,
  change: DossierChange,
  at: Date,
): Promise<void> {
  const sets: SQL[] = [sql`status = ${change.status}`, sql`version = ${version}`, sql`updated_at = ${at}`];
  if (change.receivedAt !== undefined) sets.push(sql`received_at = ${change.receivedAt}`);
  if (change.dueAt !== undefined && change.receivedAt !== undefined)
    sets.push(sql`original_due_at = ${change.dueAt}`);
  if (change.processingUnitCode !== undefined)
    sets.push(sql`processing_unit_code = ${change.processingUnitCode}`);
  if (change.assignedTo !== undefined) sets.push(sql`assigned_to = ${change.assignedTo}`);
  if (change.assignedName !== undefined) sets.push(sql`assigned_name = ${change.assignedName}`);
  if (change.dueAt !== undefined) sets.push(sql`due_at = ${change.dueAt}`);
  if (change.deadline !== undefined)
    sets.push(sql`deadline = ${change.deadline ? JSON.stringify(change.deadline) : null}::jsonb`);
  if (change.deadlineState !== undefined)
    sets.push(sql`deadline_state = ${change.deadlineState}`, sql`deadline_checked_at = ${at}`);
  if (change.supplementRequests !== undefined)
    sets.push(sql`supplement_requests = ${change.supplementRequests}`);
  if (change.rescheduled !== undefined) sets.push(sql`rescheduled = ${change.rescheduled}`);
  if (change.resultAt !== undefined) sets.push(sql`result_at = ${change.resultAt}`);
  if (change.finishedAt !== undefined) sets.push(sql`finished_at = ${change.finishedAt}`);
  if (change.returnedAt !== undefined) sets.push(sql`returned_at = ${change.returnedAt}`);
  await db.execute(
    sql`update dossiers set ${sql.join(sets, sql`, `)} where unit_code = ${unitCode} and code = ${code}`,
  );
}

export async function insertAction(
  db: Executor,
  unitCode: string,
  code: string,
  a: Omit<ActionRow, 'details'> & { details: Record<string, unknown> },
): Promise<void> {
  await db.execute(sql`
    insert into dossier_actions (unit_code, dossier_code, seq, action, status_after, at, actor_id, actor_name,
      actor_role, acting_unit_code, transaction_id, details)
    values (${unitCode}, ${code}, ${a.seq}, ${a.action}, ${a.status_after}, ${a.at}, ${a.actor_id}, ${a.actor_name},
      ${a.actor_role}, ${a.acting_unit_code}, ${a.transaction_id}, ${JSON.stringify(a.details)}::jsonb)`);
}

export async function listActions(db: Executor, unitCode: string, code: string): Promise<ActionRow[]> {
  return rows<ActionRow>(
    db,
    sql`select seq, action, status_after, at, actor_id, actor_name, actor_role, acting_unit_code, transaction_id,
               details
        from dossier_actions where unit_code = ${unitCode} and dossier_code = ${code} order by seq`,
  );
}

export async function findCommand(
  db: Executor,
  unitCode: string,
  transactionId: string,
): Promise<{ dossier_code: string; action: string } | undefined> {
  const [row] = await rows<{ dossier_code: string; action: string }>(
    db,
    sql`select dossier_code, action from dossier_commands
        where unit_code = ${unitCode} and transaction_id = ${transactionId}`,
  );
  return row;
}

/** Deletes up to `limit` commands accepted before `before` (in batches, so no statement holds many locks). */
export async function deleteCommandsBefore(db: Executor, before: Date, limit: number): Promise<number> {
  const result = await db.execute(sql`
    delete from dossier_commands where ctid = any (array(
      select ctid from dossier_commands where created_at < ${before} limit ${limit}))`);
  return result.rowCount ?? 0;
}

export async function insertCommand(
  db: Executor,
  c: {
    unitCode: string;
    transactionId: string;
    dossierCode: string;
    action: string;
    actorId: string | null;
    at: Date;
  },
): Promise<void> {
  await db.execute(sql`
    insert into dossier_commands (unit_code, transaction_id, dossier_code, action, actor_id, created_at)
    values (${c.unitCode}, ${c.transactionId}, ${c.dossierCode}, ${c.action}, ${c.actorId}, ${c.at})`);
}

export async function insertComponents(
  db: Executor,
  unitCode: string,
  code: string,
  components: GivenComponentRow[],
): Promise<void> {
  if (components.length === 0) return;
  await db.execute(sql`
    insert into dossier_components (unit_code, dossier_code, position, is_provided, digitisation)
    values ${sql.join(
      components.map((c) => sql`(${unitCode}, ${code}, ${c.position}, ${c.is_provided}, ${c.digitisation})`),
      sql`, `,
    )}`);
}

export async function listComponents(
  db: Executor,
  unitCode: string,
  code: string,
): Promise<GivenComponentRow[]> {
  return rows<GivenComponentRow>(
    db,
    sql`select position, is_provided, digitisation
        from dossier_components where unit_code = ${unitCode} and dossier_code = ${code} order by position`,
  );
}

export async function insertFile(
  db: Executor,
  unitCode: string,
  f: Omit<FileRow, 'uploaded_at'> & { uploaded_at: Date },
): Promise<void> {
  await db.execute(sql`
    insert into dossier_files (unit_code, id, dossier_code, kind, component_position, file_name, media_type,
      size_bytes, sha256, uploaded_at, uploaded_by)
    values (${unitCode}, ${f.id}, ${f.dossier_code}, ${f.kind}, ${f.component_position}, ${f.file_name},
      ${f.media_type}, ${f.size_bytes}, ${f.sha256}, ${f.uploaded_at}, ${f.uploaded_by})`);
}

export async function listFiles(db: Executor, unitCode: string, code: string): Promise<FileRow[]> {
  return rows<FileRow>(
    db,
    sql`select id, dossier_code, kind, component_position, file_name, media_type, size_bytes, sha256, uploaded_at,
               uploaded_by
        from dossier_files where unit_code = ${unitCode} and dossier_code = ${code}
        order by kind, component_position nulls last, uploaded_at`,
  );
}

export async function insertUpload(db: Executor, unitCode: string, u: UploadRow): Promise<void> {
  await db.execute(sql`
    insert into dossier_uploads (unit_code, id, file_name, media_type, size_bytes, sha256, uploaded_at, uploaded_by)
    values (${unitCode}, ${u.id}, ${u.file_name}, ${u.media_type}, ${u.size_bytes}, ${u.sha256}, ${u.uploaded_at},
      ${u.uploaded_by})`);
}

export async function findUploads(db: Executor, unitCode: string, ids: string[]): Promise<UploadRow[]> {
  if (ids.length === 0) return [];
  return rows<UploadRow>(
    db,
    sql`select id, file_name, media_type, size_bytes, sha256, uploaded_at, uploaded_by from dossier_uploads
        where unit_code = ${unitCode} and id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
  );
}

export async function findWorkflow(
  db: Executor,
  procedureCode: string,
): Promise<WorkflowDefinition | undefined> {
  const [row] = await rows<{ definition: WorkflowDefinition }>(
    db,
    sql`select definition from dossier_workflows where procedure_code = ${procedureCode}`,
  );
  return row?.definition;
}

export async function upsertWorkflow(
  db: Executor,
  procedureCode: string,
  definition: WorkflowDefinition,
  at: Date,
  by: string | null,
): Promise<void> {
  await db.execute(sql`
    insert into dossier_workflows (procedure_code, definition, updated_at, updated_by)
    values (${procedureCode}, ${JSON.stringify(definition)}::jsonb, ${at}, ${by})
    on conflict (procedure_code) do update set definition = excluded.definition, updated_at = excluded.updated_at,
      updated_by = excluded.updated_by`);
}

export interface QueueFilter {
  processingUnitCodes?: string[] | undefined;
  receivingUnitCode?: string | undefined;
  assignedTo?: string | undefined;
  status?: DossierStatus | undefined;
  procedureCode?: string | undefined;
  channel?: Channel | undefined;
  deadlineState?: DeadlineStateName | undefined;
  applicantSearch?: string | undefined;
}

export interface QueueRow {
  unit_code: string;
  code: string;
  procedure_code: string;
  procedure_name: string;
  applicant_name: string;
  channel: Channel;
  status: DossierStatus;
  processing_unit_code: string;
  assigned_name: string | null;
  received_at: Date | null;
  due_at: Date | null;
  deadline_state: DeadlineStateName | null;
  version: number;
}

function queueWhere(f: QueueFilter): SQL {
  const conditions: SQL[] = [sql`finished_at is null`];
  if (f.processingUnitCodes)
    conditions.push(
      f.processingUnitCodes.length === 1
        ? sql`processing_unit_code = ${f.processingUnitCodes[0]}`
        : sql`processing_unit_code in (${sql.join(
            f.processingUnitCodes.map((c) => sql`${c}`),
            sql`, `,
          )})`,
    );
  if (f.receivingUnitCode) conditions.push(sql`unit_code = ${f.receivingUnitCode}`);
  if (f.assignedTo) conditions.push(sql`assigned_to = ${f.assignedTo}`);
  if (f.status) conditions.push(sql`status = ${f.status}`);
  if (f.procedureCode) conditions.push(sql`procedure_code = ${f.procedureCode}`);
  if (f.channel) conditions.push(sql`channel = ${f.channel}`);
  if (f.deadlineState) conditions.push(sql`deadline_state = ${f.deadlineState}`);
  if (f.applicantSearch) conditions.push(sql`applicant_search like ${`%${f.applicantSearch}%`}`);
  return sql.join(conditions, sql` and `);
}

/** Open dossiers by due date (the soonest first, those without a date last); one page and whether more follow. */
export async function listQueue(db: Executor, f: QueueFilter, limit: number, offset: number) {
  return rows<QueueRow>(
    db,
    sql`select unit_code, code, procedure_code, procedure_name, applicant_name, channel, status,
               processing_unit_code, assigned_name, received_at, due_at, deadline_state, version
        from dossiers where ${queueWhere(f)}
        order by due_at asc nulls last, code
        limit ${limit} offset ${offset}`,
  );
}

/** How many match, counted up to `cap` (a queue of 300,000 says "more than 10,000" instead of counting them all). */
export async function countQueue(db: Executor, f: QueueFilter, cap: number): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select 1 from dossiers where ${queueWhere(f)} limit ${cap}) capped`,
  );
  return row!.n;
}

export interface LoadRow {
  processing_unit_code: string;
  open: number;
  on_track: number;
  due_soon: number;
  overdue: number;
  awaiting_supplement: number;
  unassigned: number;
}

export async function loadByUnit(db: Executor, unitCodes: string[] | 'all'): Promise<LoadRow[]> {
  const where =
    unitCodes === 'all'
      ? sql`finished_at is null`
      : unitCodes.length === 0
        ? sql`false`
        : sql`finished_at is null and processing_unit_code in (${sql.join(
            unitCodes.map((c) => sql`${c}`),
            sql`, `,
          )})`;
  return rows<LoadRow>(
    db,
    sql`select processing_unit_code,
               count(*)::int as open,
               (count(*) filter (where deadline_state = 'on_track'))::int as on_track,
               (count(*) filter (where deadline_state = 'due_soon'))::int as due_soon,
               (count(*) filter (where deadline_state = 'overdue'))::int as overdue,
               (count(*) filter (where status = 'awaiting_supplement'))::int as awaiting_supplement,
               (count(*) filter (where status = 'received'))::int as unassigned
        from dossiers where ${where}
        group by processing_unit_code order by overdue desc, open desc`,
  );
}

/**
 * The deadline job's one statement: every open dossier due before `dueSoonBefore` gets its state for `now` (overdue
 * past the due date, else due soon); paused and decided dossiers get none. Dossiers due later are on track and were
 * set so by the action that gave them their due date, so they are not read (except those marked due soon before a
 * calendar change moved the threshold). Only changed rows are written.
 */
export async function markDeadlineStates(db: Executor, now: Date, dueSoonBefore: Date) {
  return rows<{ unit_code: string; code: string; deadline_state: DeadlineStateName | null }>(
    db,
    sql`with computed as (
          select unit_code, code,
                 case when status in ('awaiting_supplement', 'result_ready') then null
                      when due_at < ${now} then 'overdue'
                      when due_at < ${dueSoonBefore} then 'due_soon'
                      else 'on_track' end as state
          from dossiers
          where finished_at is null and (due_at < ${dueSoonBefore} or deadline_state = 'due_soon'))
        update dossiers d set deadline_state = c.state, deadline_checked_at = ${now}
        from computed c
        where d.unit_code = c.unit_code and d.code = c.code and d.deadline_state is distinct from c.state
        returning d.unit_code, d.code, d.deadline_state`,
  );
}

export async function listRegister(
  db: Executor,
  unitCode: string,
  from: Date,
  to: Date,
): Promise<DossierRow[]> {
  return rows<DossierRow>(
    db,
    sql`select * from dossiers where unit_code = ${unitCode} and filed_at >= ${from} and filed_at < ${to}
        order by register_book, register_number limit 20000`,
  );
}

export async function countReceived(db: Executor, unitCode: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from dossiers where unit_code = ${unitCode}`,
  );
  return row!.n;
}

// --- Online filing drafts ---------------------------------------------------------------------------------------

export interface DraftRow {
  unit_code: string;
  id: string;
  procedure_code: string;
  procedure_version: number;
  owner_user_id: string | null;
  owner_contact: string | null;
  answers: Record<string, unknown>;
  uploads: Record<string, { id: string; fileName: string; unitCode: string }[]>;
  created_at: Date;
  updated_at: Date;
  submitted_code: string | null;
}

export async function insertDraft(
  db: Executor,
  d: Omit<DraftRow, 'submitted_code' | 'updated_at'>,
): Promise<void> {
  await db.execute(sql`
    insert into dossier_drafts (unit_code, id, procedure_code, procedure_version, owner_user_id, owner_contact, answers,
      uploads, created_at, updated_at)
    values (${d.unit_code}, ${d.id}, ${d.procedure_code}, ${d.procedure_version}, ${d.owner_user_id},
      ${d.owner_contact}, ${JSON.stringify(d.answers)}::jsonb, ${JSON.stringify(d.uploads)}::jsonb, ${d.created_at},
      ${d.created_at})`);
}

export async function findDraft(
  db: Executor,
  unitCode: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<DraftRow | undefined> {
  const [row] = await rows<DraftRow>(
    db,
    sql`select * from dossier_drafts where unit_code = ${unitCode} and id = ${id}::uuid
        ${options.forUpdate ? sql`for update` : sql``}`,
  );
  return row;
}

export async function updateDraft(
  db: Executor,
  unitCode: string,
  id: string,
  change: { answers?: Record<string, unknown>; uploads?: DraftRow['uploads']; submittedCode?: string },
  at: Date,
): Promise<void> {
  const sets: SQL[] = [sql`updated_at = ${at}`];
  if (change.answers) sets.push(sql`answers = ${JSON.stringify(change.answers)}::jsonb`);
  if (change.uploads) sets.push(sql`uploads = ${JSON.stringify(change.uploads)}::jsonb`);
  if (change.submittedCode) sets.push(sql`submitted_code = ${change.submittedCode}`);
  await db.execute(
    sql`update dossier_drafts set ${sql.join(sets, sql`, `)} where unit_code = ${unitCode} and id = ${id}::uuid`,
  );
}

export async function listDraftsOf(
  db: Executor,
  owner: { userId: string } | { contact: string },
): Promise<DraftRow[]> {
  return rows<DraftRow>(
    db,
    sql`select * from dossier_drafts
        where ${'userId' in owner ? sql`owner_user_id = ${owner.userId}` : sql`owner_contact = ${owner.contact}`}
          and submitted_code is null
        order by updated_at desc limit 50`,
  );
}

export async function listDossiersOf(
  db: Executor,
  owner: { userId: string } | { contact: string },
): Promise<DossierRow[]> {
  return rows<DossierRow>(
    db,
    sql`select * from dossiers
        where ${'userId' in owner ? sql`owner_user_id = ${owner.userId}` : sql`owner_contact = ${owner.contact}`}
        order by filed_at desc limit 200`,
  );
}

export async function copyUpload(db: Executor, fromUnit: string, toUnit: string, id: string): Promise<void> {
  await db.execute(sql`
    insert into dossier_uploads (unit_code, id, file_name, media_type, size_bytes, sha256, uploaded_at, uploaded_by)
    select ${toUnit}, id, file_name, media_type, size_bytes, sha256, uploaded_at, uploaded_by
    from dossier_uploads where unit_code = ${fromUnit} and id = ${id}::uuid
    on conflict do nothing`);
}

export async function insertRating(
  db: Executor,
  r: { unitCode: string; dossierCode: string; rating: string; comment: string; channel: string; at: Date },
): Promise<boolean> {
  const result = await db.execute(sql`
    insert into dossier_ratings (unit_code, dossier_code, rating, comment, channel, rated_at)
    values (${r.unitCode}, ${r.dossierCode}, ${r.rating}, ${r.comment}, ${r.channel}, ${r.at})
    on conflict do nothing`);
  return (result.rowCount ?? 0) > 0;
}

/** What the public tracking page shows of a dossier, read in one statement (the page is the most asked for). */
export interface TrackingView {
  unit_code: string;
  code: string;
  procedure_name: string;
  status: DossierStatus;
  tracking_secret: string;
  received_at: Date | null;
  due_at: Date | null;
  returned_at: Date | null;
  actions: Pick<ActionRow, 'action' | 'status_after' | 'at' | 'details'>[];
  rating: string | null;
  results: Pick<FileRow, 'id' | 'file_name' | 'sha256'>[];
}

export async function findTrackingView(
  db: Executor,
  unitCode: string,
  code: string,
): Promise<TrackingView | undefined> {
  const [row] = await rows<
    Omit<TrackingView, 'actions'> & { actions: (Omit<ActionRow, 'at'> & { at: string })[] }
  >(
    db,
    sql`select d.unit_code, d.code, d.procedure_name, d.status, d.tracking_secret, d.received_at, d.due_at,
               d.returned_at,
               coalesce((select json_agg(json_build_object('action', a.action, 'status_after', a.status_after,
                                   'at', a.at, 'details', a.details) order by a.seq)
                         from dossier_actions a where a.unit_code = d.unit_code and a.dossier_code = d.code),
                        '[]') as actions,
               (select r.rating from dossier_ratings r where r.unit_code = d.unit_code and r.dossier_code = d.code)
                 as rating,
               coalesce((select json_agg(json_build_object('id', f.id, 'file_name', f.file_name,
                                   'sha256', f.sha256) order by f.uploaded_at)
                         from dossier_files f
                         where f.unit_code = d.unit_code and f.dossier_code = d.code and f.kind = 'result'),
                        '[]') as results
        from dossiers d where d.unit_code = ${unitCode} and d.code = ${code}`,
  );
  if (!row) return undefined;
  return { ...row, actions: row.actions.map((a) => ({ ...a, at: new Date(a.at) })) };
}

export async function findRating(
  db: Executor,
  unitCode: string,
  code: string,
): Promise<{ rating: string; comment: string; rated_at: Date } | undefined> {
  const [row] = await rows<{ rating: string; comment: string; rated_at: Date }>(
    db,
    sql`select rating, comment, rated_at from dossier_ratings where unit_code = ${unitCode} and dossier_code = ${code}`,
  );
  return row;
}
