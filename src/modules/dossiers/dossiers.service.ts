// Use cases of the one-stop shop's dossiers: counter intake, the workflow's actions, queues, the register, the forms.
// Every command runs in one transaction that re-reads the dossier FOR UPDATE, checks the status and the actor's roles
// there, appends to the action log, updates the cached columns, records the client transaction id and writes the
// audit entry (STYLE.md habits 5 and 6). A retry with the same transaction id answers without acting again.
import crypto from 'node:crypto';
import { formatVietnamDateTime, type Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { FileStore, UploadMediaType } from '../../platform/storage/file-store.ts';
import { sniffMediaType } from '../../platform/storage/file-store.ts';
import { translator, type MessageKey } from '../../platform/i18n/index.ts';
import { foldText } from '../../platform/text.ts';
import type {
  DocumentSigning,
  SignatureLayout,
  SignedDocument,
  SigningStep,
} from '../signing/document-signing.ts';
import type { AdminUnit, AdminUnitsService } from '../admin-units/index.ts';
import { appendAudit } from '../audit/index.ts';
import {
  computeDueAt,
  computeDueAtWithPauses,
  deadlineState,
  dueSoonBefore,
  prepareCalendar,
  reschedule,
  stepDeadlines,
  type CalendarService,
  type SupplementPause,
} from '../calendar/index.ts';
import { can, type IdentityService, type Principal, type RequestInfo, type Role } from '../identity/index.ts';
import { describeProcessingTime, type ProcedureRecord, type ProceduresService } from '../procedures/index.ts';
import {
  formatDossierCode,
  newTrackingSecret,
  trackingSecretMatches,
  unitOfDossierCode,
  vietnamDate,
} from './dossier-code.ts';
import type {
  ApologyForm,
  ControlSlipForm,
  ControlSlipRow,
  DossierFormBase,
  FormAgency,
  HandOffResult,
  ReceiptForm,
  RefusalForm,
  RegisterForm,
  StopNoticeForm,
  SupplementRequestForm,
} from './dossier-form-data.ts';
import {
  DEFAULT_WORKFLOW,
  FINAL_STATUSES,
  allowedActions,
  COMMAND_RETENTION_DAYS,
  cumulativeShares,
  decideAction,
  nextStatus,
  rolesForAction,
  stepName,
  stepOfStatus,
  workflowProblems,
  type DossierAction,
  type DossierStatus,
  type IntakeAction,
  type WorkflowDefinition,
  type WorkflowStep,
} from './dossier-workflow.ts';
import { toPortalDossier } from './dossier-portal.ts';
import * as repo from './dossiers.repo.ts';
import {
  normaliseDestination,
  type NotificationRequest,
  type NotificationTemplate,
  type NotificationsService,
} from '../notifications/index.ts';
import type {
  ApplicantData,
  Channel,
  Digitisation,
  DossierRow,
  RepresentativeData,
} from './dossiers.repo.ts';

export type { ApplicantData, Channel, Digitisation, RepresentativeData };

export type ReturnMethod = 'at_centre' | 'postal' | 'online';

export interface IntakeComponentInput {
  /** Position in the procedure version's component list (headings not counted), from 1. */
  position: number;
  isProvided: boolean;
  digitisation: Digitisation;
  /** Counter uploads (storeUpload) holding this component's scans. */
  uploadIds: string[];
}

export interface IntakeInput {
  procedureCode: string;
  channel: Channel;
  decision: IntakeAction;
  applicant: ApplicantData;
  representative: RepresentativeData | null;
  requestSummary: string;
  setsCount: number;
  returnMethod: ReturnMethod;
  /** Defaults to the receiving centre; any commune of the province may be named (DOMAIN §3.1). */
  processingUnitCode: string | null;
  components: IntakeComponentInput[];
  /** What to complete (request_completion) or why it is refused (refuse_at_intake), one item each. */
  reasons: string[];
  /** Only when the procedure's time rule cannot be computed: the due date the officer writes by hand. */
  manualDueAt: Date | null;
}

/** The inputs of an action on an existing dossier; each action reads what it needs and validates it. */
export interface ActionInput {
  assigneeId?: string | undefined;
  note?: string | undefined;
  reasons?: string[] | undefined;
  items?: string[] | undefined;
  unitCode?: string | undefined;
  newDueAt?: Date | undefined;
  uploadId?: string | undefined;
  resultTitle?: string | undefined;
  resultContent?: string | undefined;
}

interface FieldProblemKey {
  field: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

function invalid(problems: FieldProblemKey[]): never {
  throw new AppError('VALIDATION_FAILED', { fields: problems });
}

/** Texts put into error details and records are Vietnamese whatever the reader's language (they are legal records). */
const vi = translator('vi');

const PHONE = /^(0|\+84)\d{9}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PERSONAL_ID = /^\d{12}$/;
const ORGANISATION_ID = /^\d{10}(-?\d{3})?$/;

function personProblems(prefix: string, p: ApplicantData): FieldProblemKey[] {
  const problems: FieldProblemKey[] = [];
  const name = p.name.trim();
  if (name.length < 2 || name.length > 200) problems.push({ field: `${prefix}.name`, key: 'dossier.v.name' });
  if (p.kind === 'person' ? !PERSONAL_ID.test(p.idNumber) : !ORGANISATION_ID.test(p.idNumber))
    problems.push({
      field: `${prefix}.idNumber`,
      key: p.kind === 'person' ? 'dossier.v.personalId' : 'dossier.v.organisationId',
    });
  if (p.address.trim().length < 5 || p.address.length > 300)
    problems.push({ field: `${prefix}.address`, key: 'dossier.v.address' });
  if (!PHONE.test(p.phone.replace(/[\s.]/g, '')))
    problems.push({ field: `${prefix}.phone`, key: 'dossier.v.phone' });
  if (p.email.trim() !== '' && !EMAIL.test(p.email.trim()))
    problems.push({ field: `${prefix}.email`, key: 'dossier.v.email' });
  return problems;
}

function cleanPerson<T extends ApplicantData>(p: T): T {
  return {
    ...p,
    name: p.name.trim().replace(/\s+/g, ' '),
    idNumber: p.idNumber.trim(),
    address: p.address.trim(),
    phone: p.phone.replace(/[\s.]/g, ''),
    email: p.email.trim(),
  };
}

function cleanLines(lines: readonly string[] | undefined): string[] {
  return (lines ?? [])
    .flatMap((l) => l.split(/\r?\n/))
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The components a dossier of this procedure version is checked against: the list without its headings. */
export function procedureComponents(record: Pick<ProcedureRecord, 'components'>) {
  return record.components
    .filter((c) => !c.isHeading)
    .map((c, i) => ({
      position: i + 1,
      name: c.name,
      originals: c.originals,
      copies: c.copies,
      isRequired: c.required === true,
      group: c.group,
    }));
}

const RETURN_PLACE: Record<ReturnMethod, (centre: string) => string> = {
  at_centre: (centre) => `Tại ${centre}`,
  postal: () => 'Qua dịch vụ bưu chính công ích, tại địa chỉ của người nộp hồ sơ',
  online: () => 'Trực tuyến, trên Cổng Dịch vụ công quốc gia và trang tra cứu hồ sơ',
};

const VIETNAMESE_STATUS: Record<DossierStatus, string> = {
  submitted: 'Đã nộp trực tuyến, chờ tiếp nhận',
  returned_for_completion: 'Đã hướng dẫn hoàn thiện hồ sơ',
  received: 'Đã tiếp nhận, chờ phân công',
  processing: 'Đang giải quyết',
  awaiting_supplement: 'Chờ bổ sung hồ sơ',
  awaiting_approval: 'Chờ phê duyệt',
  approved: 'Đã phê duyệt, chờ ban hành kết quả',
  result_ready: 'Đã có kết quả, chờ trả',
  returned: 'Đã trả kết quả',
  refused: 'Từ chối giải quyết',
  stopped: 'Dừng giải quyết',
  withdrawn: 'Đã rút hồ sơ',
};

/** Lower-cases the first letter of a unit's full name for running text: "Xã Bảo Yên" → "xã Bảo Yên". */
function inSentence(fullName: string): string {
  return fullName.charAt(0).toLocaleLowerCase('vi') + fullName.slice(1);
}

export interface DossierView {
  code: string;
  unitCode: string;
  status: DossierStatus;
  version: number;
  procedure: { code: string; version: number; name: string };
  processingUnitCode: string;
  channel: Channel;
  applicant: ApplicantData;
  representative: RepresentativeData | null;
  requestSummary: string;
  setsCount: number;
  returnMethod: string;
  fees: repo.FeeLine[];
  assignedTo: { id: string; name: string } | null;
  filedAt: string;
  receivedAt: string | null;
  dueAt: string | null;
  originalDueAt: string | null;
  deadlineExplanation: string | null;
  deadlineState: repo.DeadlineStateName | null;
  supplementRequests: number;
  rescheduled: boolean;
  resultAt: string | null;
  finishedAt: string | null;
  returnedAt: string | null;
  register: { book: string; number: number };
  trackingUrl: string;
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function createDossiersService(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  identity: IdentityService;
  procedures: ProceduresService;
  calendar: CalendarService;
  files: FileStore;
  provinceCode: string;
  publicUrl: string;
  maxUploadBytes: number;
  notifications?: NotificationsService;
  /** Signs Mẫu 01 receipts (the centre) and results (the approving leader, then the agency); absent: unsigned. */
  signing?: DocumentSigning;
}) {
  const { db, clock, adminUnits, identity } = deps;

  // A receipt's source is rendered at its first signing attempt, from the dossier as received (its data is final).
  deps.signing?.registerSource('receipt', async (document) => {
    const row = await loadRow(document.dossierCode);
    const { form } = await formDataOf(row, '01', '');
    const { renderReceiptLaidOut } = await import('./dossier-forms.ts');
    const rendered = await renderReceiptLaidOut(form as ReceiptForm);
    return {
      pdf: rendered.pdf,
      layout: rendered.signatureSpace ? { centre: rendered.signatureSpace } : undefined,
    };
  });

  // Administrative units are reference data that changes by resolution, not by the minute: an intake reads four of
  // them, so they are kept here for five minutes rather than read from the database each time.
  const units = new Map<string, { unit: Promise<AdminUnit>; until: number }>();
  function getUnit(code: string): Promise<AdminUnit> {
    const now = clock.now().getTime();
    const hit = units.get(code);
    if (hit && hit.until > now) return hit.unit;
    const unit = adminUnits.getUnit(code);
    units.set(code, { unit, until: now + 5 * 60_000 });
    unit.catch(() => units.delete(code));
    return unit;
  }

  function trackingUrl(row: Pick<DossierRow, 'code' | 'tracking_secret'>): string {
    return `${deps.publicUrl}/tra-cuu-ho-so/${row.code}?ma=${row.tracking_secret}`;
  }

  function present(row: DossierRow): DossierView {
    return {
      code: row.code,
      unitCode: row.unit_code,
      status: row.status,
      version: row.version,
      procedure: { code: row.procedure_code, version: row.procedure_version, name: row.procedure_name },
      processingUnitCode: row.processing_unit_code,
      channel: row.channel,
      applicant: row.applicant,
      representative: row.representative,
      requestSummary: row.request_summary,
      setsCount: row.sets_count,
      returnMethod: row.return_method,
      fees: row.fees,
      assignedTo: row.assigned_to ? { id: row.assigned_to, name: row.assigned_name ?? '' } : null,
      filedAt: row.filed_at.toISOString(),
      receivedAt: iso(row.received_at),
      dueAt: iso(row.due_at),
      originalDueAt: iso(row.original_due_at),
      deadlineExplanation: typeof row.deadline?.explanation === 'string' ? row.deadline.explanation : null,
      deadlineState: row.deadline_state,
      supplementRequests: row.supplement_requests,
      rescheduled: row.rescheduled,
      resultAt: iso(row.result_at),
      finishedAt: iso(row.finished_at),
      returnedAt: iso(row.returned_at),
      register: { book: row.register_book, number: row.register_number },
      trackingUrl: trackingUrl(row),
    };
  }

  async function getWorkflow(procedureCode: string): Promise<WorkflowDefinition> {
    return (await repo.findWorkflow(db, procedureCode)) ?? DEFAULT_WORKFLOW;
  }

  function ownerOf(code: string): string {
    const unit = unitOfDossierCode(code);
    if (!unit) throw new AppError('DOSSIER_NOT_FOUND', { code });
    return unit;
  }

  async function loadRow(code: string, executor: Executor = db, forUpdate = false): Promise<DossierRow> {
    const row = await repo.findDossier(executor, ownerOf(code), code, { forUpdate });
    if (!row) throw new AppError('DOSSIER_NOT_FOUND', { code });
    return row;
  }

  /**
   * The roles that count for a dossier: every role at the processing unit, and the desk officer's role at the
   * receiving centre too (it receives supplements and returns the result there), each with the unit it is held at.
   */
  function actingRoles(actor: Principal, receiving: AdminUnit, processing: AdminUnit) {
    const atProcessing = identity.rolesAt(actor, processing);
    const roles = new Map<Role, string>(atProcessing.map((r) => [r, processing.code]));
    if (!roles.has('desk_officer') && identity.rolesAt(actor, receiving).includes('desk_officer'))
      roles.set('desk_officer', receiving.code);
    return roles;
  }

  /** May see the dossier: a staff role at the receiving or the processing unit, or oversight of the province. */
  async function assertCanView(actor: Principal, row: DossierRow, info: RequestInfo) {
    const [receiving, processing] = await Promise.all([
      getUnit(row.unit_code),
      getUnit(row.processing_unit_code),
    ]);
    if (can(actor, 'dossiers.view', receiving) || can(actor, 'dossiers.view', processing))
      return { receiving, processing };
    return identity
      .assertCan(actor, 'dossiers.view', processing, info)
      .then(() => ({ receiving, processing }));
  }

  /**
   * A dossier's components as checked at intake: the entries of its procedure version's list (name, counts,
   * required) with what was given for each. The table keeps only the second part; the version never changes.
   */
  async function componentsOf(row: DossierRow): Promise<repo.ComponentRow[]> {
    const [listed, given] = await Promise.all([
      deps.procedures.getVersionComponents(row.procedure_code, row.procedure_version),
      repo.listComponents(db, row.unit_code, row.code),
    ]);
    const entries = new Map(procedureComponents({ components: listed }).map((l) => [l.position, l]));
    return given.map((g) => {
      const entry = entries.get(g.position);
      return {
        ...g,
        name: entry?.name ?? `Thành phần số ${g.position}`,
        originals: entry?.originals ?? null,
        copies: entry?.copies ?? null,
        is_required: entry?.isRequired ?? false,
      };
    });
  }

  /** Runs a command once per client transaction id: a retry (or a double click) answers with the dossier as it is. */
  async function once(
    unitCode: string,
    transactionId: string,
    action: string,
    dossierCode: string | null,
  ): Promise<DossierRow | undefined> {
    const done = await repo.findCommand(db, unitCode, transactionId);
    if (!done) return undefined;
    if (done.action !== action || (dossierCode !== null && done.dossier_code !== dossierCode))
      throw new AppError('DOSSIER_TRANSACTION_REUSED', { transactionId });
    return loadRow(done.dossier_code);
  }

  function isUniqueViolation(error: unknown): boolean {
    const cause = (error as { cause?: { code?: string } }).cause ?? error;
    return (cause as { code?: string }).code === '23505';
  }

  async function computeDeadline(
    record: ProcedureRecord,
    channel: Channel,
    processingUnitCode: string,
    receivedAt: Date,
    manualDueAt: Date | null,
  ) {
    const rule = (record.channels.find((c) => c.channel === channel) ?? record.channels[0])?.processingTime;
    const calendar = await deps.calendar.getCurrentFor(deps.provinceCode, processingUnitCode);
    const result = rule ? computeDueAt({ receivedAt, rule, calendar }) : undefined;
    if (result?.ok) {
      return {
        dueAt: result.dueAt,
        deadline: { explanation: result.explanation, inputs: result.inputs } as Record<string, unknown>,
        calendar,
      };
    }
    if (manualDueAt) {
      if (manualDueAt.getTime() <= receivedAt.getTime())
        invalid([{ field: 'manualDueAt', key: 'dossier.v.manualDueAtPast' }]);
      return {
        dueAt: manualDueAt,
        deadline: {
          explanation: `Ngày hẹn trả do cán bộ tiếp nhận ghi: ${result?.ok === false ? result.reason : 'thủ tục chưa có thời hạn.'}`,
          manual: true,
          calendarVersion: calendar.version,
        } as Record<string, unknown>,
        calendar,
      };
    }
    return invalid([
      {
        field: 'manualDueAt',
        key: 'dossier.v.manualDueAtNeeded',
        params: { reason: result?.ok === false ? result.reason : 'Thủ tục chưa có thời hạn giải quyết.' },
      },
    ]);
  }

  async function audit(
    tx: Executor,
    actor: { userId: string | null; username: string },
    unitCode: string,
    action: string,
    code: string,
    details: Record<string, unknown>,
    info: RequestInfo,
  ) {
    await appendAudit(tx, clock, {
      actorId: actor.userId,
      actorName: actor.username,
      unitCode,
      action: `dossier.${action}`,
      targetType: 'dossier',
      targetId: code,
      details,
      requestId: info.requestId,
    });
  }

  /**
   * The applicant's messages for a step, written to the outbox in the step's own transaction (sent by the job after
   * commit; a failing SMS gateway never blocks the dossier): by SMS to the applicant's phone, and by email when given.
   */
  async function notify(
    tx: Executor,
    row: DossierRow,
    action: string,
    details: Record<string, unknown> = {},
  ) {
    if (!deps.notifications) return;
    const base = { code: row.code, procedureName: row.procedure_name, trackingUrl: trackingUrl(row) };
    const time = (at: Date | string | null | undefined) => (at ? formatVietnamDateTime(new Date(at)) : '—');
    const list = (v: unknown) => (Array.isArray(v) ? v.join('; ') : '');
    const messages: Partial<Record<string, [NotificationTemplate, Record<string, string>]>> = {
      submit_online: ['dossier_submitted', base],
      receive: ['dossier_received', { ...base, dueAt: time(row.due_at) }],
      accept: ['dossier_received', { ...base, dueAt: time(row.due_at) }],
      return_online: ['dossier_returned_online', { ...base, reasons: list(details.reasons) }],
      request_supplement: ['supplement_requested', { ...base, items: list(details.items) }],
      issue_result: ['result_ready', { ...base, place: row.return_method }],
      reschedule: ['late_apology', { ...base, reason: list(details.reasons), newDueAt: time(row.due_at) }],
    };
    const message = messages[action];
    if (!message) return;
    const [template, params] = message;
    const requests: NotificationRequest[] = [];
    // A contact the outbox would not take (an old record, a foreign number) skips the message, never the step.
    for (const [channel, raw] of [
      ['sms', row.applicant.phone],
      ['email', row.applicant.email],
    ] as const) {
      const to = raw ? normaliseDestination(channel, raw) : null;
      if (to)
        requests.push({ channel, to, template, params, dossierCode: row.code, unitCode: row.unit_code });
    }
    if (requests.length > 0) await deps.notifications.enqueue(tx, requests);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Counter intake

  /** Reads and checks an intake against the procedure version; every problem is listed, nothing is saved. */
  async function prepareIntake(receiving: AdminUnit, input: IntakeInput) {
    const procedure = await deps.procedures.getProcedure(input.procedureCode);
    const problems: FieldProblemKey[] = [];
    if (procedure.withdrawnAt) problems.push({ field: 'procedureCode', key: 'dossier.v.procedureWithdrawn' });
    const processing = await getUnit(input.processingUnitCode || receiving.code).catch(() => null);
    const provinceOf = (u: AdminUnit) => (u.level === 'province' ? u.code : u.parentCode);
    if (!processing || processing.level !== 'commune' || provinceOf(processing) !== provinceOf(receiving))
      problems.push({ field: 'processingUnitCode', key: 'dossier.v.processingUnit' });

    const applicant = cleanPerson(input.applicant);
    const representative = input.representative ? cleanPerson(input.representative) : null;
    problems.push(...personProblems('applicant', applicant));
    if (representative) {
      problems.push(...personProblems('representative', representative));
      if (representative.authorisationDocument.trim().length < 3)
        problems.push({ field: 'representative.authorisationDocument', key: 'dossier.v.authorisation' });
    }
    if (!Number.isInteger(input.setsCount) || input.setsCount < 1 || input.setsCount > 100)
      problems.push({ field: 'setsCount', key: 'dossier.v.setsCount' });
    const record = procedure.record;
    if (!record.channels.some((c) => c.channel === input.channel) && record.channels.length > 0)
      problems.push({ field: 'channel', key: 'dossier.v.channel' });

    const listed = procedureComponents(record);
    const given = new Map(input.components.map((c) => [c.position, c]));
    const uploads = await repo.findUploads(
      db,
      receiving.code,
      input.components.flatMap((c) => c.uploadIds),
    );
    const uploadById = new Map(uploads.map((u) => [u.id, u]));
    for (const c of input.components) {
      if (!listed.some((l) => l.position === c.position))
        problems.push({ field: `components.${c.position}`, key: 'dossier.v.componentUnknown' });
      for (const id of c.uploadIds)
        if (!uploadById.has(id))
          problems.push({ field: `components.${c.position}.files`, key: 'dossier.v.uploadUnknown' });
    }
    const reasons = cleanLines(input.reasons);
    if (input.decision === 'receive') {
      for (const l of listed) {
        const c = given.get(l.position);
        const provided = c?.isProvided === true;
        if (l.isRequired && !provided)
          problems.push({
            field: `components.${l.position}`,
            key: 'dossier.v.componentMissing',
            params: { name: l.name },
          });
        if (!provided) continue;
        // NĐ 118/2025 Art. 17(1)(c), TT 01/2023/TT-VPCP Art. 8: the desk digitises what it receives on paper,
        // except documents filed electronically, only shown, other agencies' verification results, or secret.
        if (c.digitisation === 'not_provided')
          problems.push({
            field: `components.${l.position}.digitisation`,
            key: 'dossier.v.digitisation',
            params: { name: l.name },
          });
        if ((c.digitisation === 'scanned' || c.digitisation === 'electronic') && c.uploadIds.length === 0)
          problems.push({
            field: `components.${l.position}.files`,
            key: 'dossier.v.scanMissing',
            params: { name: l.name },
          });
        if (c.digitisation === 'electronic' && input.channel !== 'online')
          problems.push({
            field: `components.${l.position}.digitisation`,
            key: 'dossier.v.electronicOnlyOnline',
            params: { name: l.name },
          });
      }
      if (listed.length > 0 && !listed.some((l) => given.get(l.position)?.isProvided))
        problems.push({ field: 'components', key: 'dossier.v.noComponents' });
    } else if (reasons.length === 0) {
      problems.push({
        field: 'reasons',
        key: input.decision === 'refuse_at_intake' ? 'dossier.v.refusalReasons' : 'dossier.v.completionItems',
      });
    }
    return {
      problems,
      procedure,
      record,
      processing,
      applicant,
      representative,
      listed,
      given,
      uploadById,
      reasons,
    };
  }

  async function receiveDossier(
    actor: Principal,
    receivingUnitCode: string,
    input: IntakeInput,
    info: RequestInfo,
    transactionId: string,
  ): Promise<DossierView> {
    const receiving = await getUnit(receivingUnitCode);
    await identity.assertCan(actor, 'dossiers.receive', receiving, info);
    const by = { userId: actor.userId, username: actor.username, name: actor.fullName, role: 'desk_officer' };
    return fileDossier(by, receiving, input, input.decision, info, transactionId, null);
  }

  /** Who files: the desk officer at the counter, or the citizen (an account or a verified guest) online. */
  interface Filer {
    userId: string | null;
    /** For the audit log: the username, or "khách sms:0912…" for a guest. */
    username: string;
    name: string;
    role: string;
  }

  async function fileDossier(
    by: Filer,
    receiving: AdminUnit,
    input: IntakeInput,
    decision: IntakeAction | 'submit_online',
    info: RequestInfo,
    transactionId: string,
    online: {
      ownerUserId: string | null;
      ownerContact: string | null;
      eformAnswers: Record<string, unknown>;
    } | null,
  ): Promise<DossierView> {
    const earlier = await once(receiving.code, transactionId, decision, null);
    if (earlier) return present(earlier);
    const prepared = await prepareIntake(receiving, {
      ...input,
      decision: decision === 'submit_online' ? 'receive' : decision,
    });
    if (prepared.problems.length > 0 || !prepared.processing) invalid(prepared.problems);
    const { procedure, record, applicant, representative, listed, given, uploadById, reasons } = prepared;
    const processing = prepared.processing;

    const now = clock.now();
    const deadline =
      decision === 'receive'
        ? await computeDeadline(record, input.channel, processing.code, now, input.manualDueAt)
        : null;
    const channelRule = record.channels.find((c) => c.channel === input.channel) ?? record.channels[0];
    const fees = (channelRule?.fees ?? []).map((f) => ({ text: f.text, amountVnd: f.amountVnd, per: f.per }));
    const status = nextStatus(null, decision, null);
    const receivingAgency = await agencyOf(receiving.code);
    const year = vietnamDate(now).slice(0, 4);

    let receiptId: string | undefined;
    try {
      const row = await db.transaction(async (tx) => {
        const [dailySequence, registerNumber] = await repo.nextCounters(tx, receiving.code, [
          vietnamDate(now),
          year,
        ]);
        const code = formatDossierCode(receiving.code, now, dailySequence);
        const inserted = await repo.insertDossier(tx, {
          unitCode: receiving.code,
          code,
          procedureCode: procedure.code,
          procedureVersion: procedure.version,
          procedureName: record.name,
          processingUnitCode: processing.code,
          channel: input.channel,
          applicant,
          representative,
          applicantSearch: foldText(`${applicant.name} ${applicant.idNumber} ${applicant.phone}`),
          requestSummary: input.requestSummary.trim() || record.name,
          setsCount: input.setsCount,
          returnMethod: RETURN_PLACE[input.returnMethod](receivingAgency.centreName),
          fees,
          status,
          filedAt: now,
          receivedAt: decision === 'receive' ? now : null,
          dueAt: deadline?.dueAt ?? null,
          deadline: deadline?.deadline ?? null,
          deadlineState: deadline ? deadlineState(deadline.dueAt, now, deadline.calendar).state : null,
          finishedAt: FINAL_STATUSES.has(status) ? now : null,
          registerBook: year,
          registerNumber,
          trackingSecret: newTrackingSecret(),
          createdBy: by.userId,
          ownerUserId: online?.ownerUserId ?? null,
          ownerContact: online?.ownerContact ?? null,
          eformAnswers: online?.eformAnswers ?? null,
        });
        await repo.insertComponents(
          tx,
          receiving.code,
          code,
          listed.map((l) => {
            const c = given.get(l.position);
            return {
              position: l.position,
              is_provided: c?.isProvided === true,
              digitisation: c?.isProvided ? c.digitisation : 'not_provided',
            };
          }),
        );
        for (const c of input.components) {
          for (const id of c.uploadIds) {
            const upload = uploadById.get(id)!;
            await repo.insertFile(tx, receiving.code, {
              id: crypto.randomUUID(),
              dossier_code: code,
              kind: 'component',
              component_position: c.position,
              file_name: upload.file_name,
              media_type: upload.media_type,
              size_bytes: upload.size_bytes,
              sha256: upload.sha256,
              uploaded_at: upload.uploaded_at,
              uploaded_by: upload.uploaded_by,
            });
          }
        }
        const details: Record<string, unknown> = {
          procedureVersion: procedure.version,
          channel: input.channel,
          dueAt: deadline?.dueAt.toISOString() ?? null,
          ...(reasons.length ? { reasons } : {}),
        };
        await repo.insertAction(tx, receiving.code, code, {
          seq: 1,
          action: decision,
          status_after: status,
          at: now,
          actor_id: by.userId,
          actor_name: by.name,
          actor_role: by.role,
          acting_unit_code: receiving.code,
          transaction_id: transactionId,
          details,
        });
        await repo.insertCommand(tx, {
          unitCode: receiving.code,
          transactionId,
          dossierCode: code,
          action: decision,
          actorId: by.userId,
          at: now,
        });
        await notify(tx, inserted, decision);
        // The receipt (Mẫu 01) is signed with the centre's certificate; recorded here, signed after the commit.
        if (decision === 'receive' && deps.signing)
          receiptId = await deps.signing.enqueue(tx, {
            unitCode: receiving.code,
            dossierCode: code,
            kind: 'receipt',
            title: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
            fileName: `mau-01-${code}.pdf`,
            steps: [
              {
                role: 'centre',
                holder: { kind: 'centre', unitCode: receiving.code, name: receivingAgency.centreName },
              },
            ],
          });
        // Last: the audit chain's lock is held from here to the commit, for every writer of the province.
        await audit(tx, by, receiving.code, decision, code, details, info);
        return inserted;
      });
      // Signed right after the answer, not before it (rendering and signing Mẫu 01 costs tens of milliseconds of
      // CPU, which a desk's burst of intakes would otherwise wait for in every request); the dossier's page and
      // Mẫu 01 wait for it. A failure is recorded on the document and retried by the job: the dossier is received
      // either way.
      if (receiptId) deps.signing!.later(receiving.code, row.code, receiptId);
      return present(row);
    } catch (error) {
      // The same transaction id committed by a concurrent request (a double click): answer with its dossier.
      if (isUniqueViolation(error)) {
        const winner = await once(receiving.code, transactionId, decision, null);
        if (winner) return present(winner);
      }
      throw error;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Actions on a dossier

  function pausesOf(actions: repo.ActionRow[]): SupplementPause[] {
    const pauses: SupplementPause[] = [];
    for (const a of actions) {
      if (a.action === 'request_supplement') pauses.push({ from: a.at, to: null });
      if (a.action === 'receive_supplement' && pauses.length > 0) pauses[pauses.length - 1]!.to = a.at;
    }
    return pauses;
  }

  function statusBeforeSupplement(actions: repo.ActionRow[]): DossierStatus | null {
    let before: DossierStatus | null = null;
    let previous: DossierStatus | null = null;
    for (const a of actions) {
      if (a.action === 'request_supplement') before = previous;
      previous = a.status_after;
    }
    return before;
  }

  async function calendarOfDeadline(row: DossierRow) {
    const inputs = row.deadline?.inputs as { calendarVersion?: string } | undefined;
    const version = Number(/-v(\d+)$/.exec(inputs?.calendarVersion ?? '')?.[1]);
    return Number.isInteger(version) && version > 0
      ? deps.calendar.getVersion(deps.provinceCode, version)
      : deps.calendar.getCurrentFor(deps.provinceCode, row.processing_unit_code);
  }

  async function act(
    actor: Principal,
    code: string,
    action: DossierAction,
    input: ActionInput,
    info: RequestInfo,
    transactionId: string,
    expectedVersion?: number,
  ): Promise<DossierView> {
    const owner = ownerOf(code);
    const first = await loadRow(code);
    // Access first: a retry's answer is the dossier, which only those who may see it get.
    const { receiving, processing } = await assertCanView(actor, first, info);
    const earlier = await once(owner, transactionId, action, code);
    if (earlier) return present(earlier);
    const workflow = await getWorkflow(first.procedure_code);
    const roles = actingRoles(actor, receiving, processing);
    if (roles.size === 0)
      await identity.deny(actor, 'UNIT_ACCESS_DENIED', processing.code, `dossier.${action}`, info);

    // Fail fast outside the transaction on what does not depend on the row's latest state.
    const now = clock.now();
    const details: Record<string, unknown> = {};
    const note = input.note?.trim() ?? '';
    if (note) details.note = note;
    const reasons = cleanLines(input.reasons);
    const items = cleanLines(input.items);
    let assignee: { id: string; fullName: string } | undefined;
    let target: AdminUnit | undefined;
    let resultFile: { fileName: string; mediaType: string; size: number; sha256: string } | undefined;
    // The result's signing record: its id is printed in the generated result's QR code, so it is chosen first; the
    // leader who approved signs it (and is named on a generated one).
    const resultDocumentId = crypto.randomUUID();
    const approver = action === 'issue_result' ? await approverOf(owner, code, actor) : actor;
    let resultLayout: SignatureLayout | undefined;
    let toSign: string | undefined;
    switch (action) {
      case 'assign': {
        const candidates = await identity.listStaffWithRole(first.processing_unit_code, 'specialist');
        assignee = candidates.find((c) => c.id === input.assigneeId);
        if (!assignee) invalid([{ field: 'assigneeId', key: 'dossier.v.assignee' }]);
        details.assignee = { id: assignee.id, name: assignee.fullName };
        break;
      }
      case 'process':
        if (!note) invalid([{ field: 'note', key: 'dossier.v.note' }]);
        break;
      case 'request_supplement':
        if (items.length === 0) invalid([{ field: 'items', key: 'dossier.v.supplementItems' }]);
        details.items = items;
        break;
      case 'reject':
      case 'refuse':
      case 'stop':
      case 'withdraw':
      case 'return_online':
        if (reasons.length === 0) invalid([{ field: 'reasons', key: 'dossier.v.reasons' }]);
        details.reasons = reasons;
        break;
      case 'transfer': {
        target = await adminUnits
          .getUnit(input.unitCode ?? '')
          .catch(() => invalid([{ field: 'unitCode', key: 'dossier.v.transferUnit' }]));
        if (
          target.level !== 'commune' ||
          target.parentCode !== processing.parentCode ||
          target.code === processing.code
        )
          invalid([{ field: 'unitCode', key: 'dossier.v.transferUnit' }]);
        if (reasons.length === 0) invalid([{ field: 'reasons', key: 'dossier.v.reasons' }]);
        details.fromUnit = processing.code;
        details.toUnit = target.code;
        details.reasons = reasons;
        break;
      }
      case 'reschedule':
        if (!input.newDueAt || Number.isNaN(input.newDueAt.getTime()))
          invalid([{ field: 'newDueAt', key: 'dossier.v.newDueAt' }]);
        if (reasons.length === 0) invalid([{ field: 'reasons', key: 'dossier.v.rescheduleReason' }]);
        break;
      case 'issue_result': {
        if (input.uploadId) {
          const [upload] = await repo.findUploads(db, owner, [input.uploadId]);
          if (!upload) invalid([{ field: 'uploadId', key: 'dossier.v.uploadUnknown' }]);
          resultFile = {
            fileName: upload.file_name,
            mediaType: upload.media_type,
            size: upload.size_bytes,
            sha256: upload.sha256,
          };
        } else {
          const title = input.resultTitle?.trim() ?? '';
          const content = input.resultContent?.trim() ?? '';
          if (title.length < 3) invalid([{ field: 'resultTitle', key: 'dossier.v.resultTitle' }]);
          if (content.length < 3) invalid([{ field: 'resultContent', key: 'dossier.v.resultContent' }]);
          const { renderResultDocument } = await import('./dossier-result.ts');
          const agency = await agencyOf(processing.code);
          const rendered = await renderResultDocument({
            agency,
            dossierCode: code,
            procedureName: first.procedure_name,
            applicantName: first.applicant.name,
            title,
            content,
            issuedAt: now,
            signedBy: approver.fullName,
            verifyUrl: `${deps.publicUrl}/xac-minh/van-ban/${resultDocumentId}`,
          });
          const pdf = rendered.pdf;
          if (rendered.signatureSpace)
            resultLayout = { leader: rendered.signatureSpace, agency: rendered.signatureSpace };
          const sha256 = await deps.files.put(pdf);
          resultFile = {
            fileName: `ket-qua-${code}.pdf`,
            mediaType: 'application/pdf',
            size: pdf.length,
            sha256,
          };
        }
        details.result = { fileName: resultFile.fileName, sha256: resultFile.sha256 };
        break;
      }
      default:
        break;
    }

    // Reference data the transaction needs is read before it, on the dossier as first read: a transaction never
    // waits for a second connection of the pool (with as many transactions in flight as the pool has connections,
    // each would wait for the others' connections, and every request with them). If the dossier moved to another
    // unit or calendar in between, the action is refused as a conflict and the officer sends it again.
    const acceptance =
      action === 'accept'
        ? await computeDeadline(
            (await deps.procedures.getProcedure(first.procedure_code, first.procedure_version)).record,
            first.channel,
            first.processing_unit_code,
            now,
            input.newDueAt ?? null,
          )
        : undefined;
    const firstCalendar =
      action === 'receive_supplement' || action === 'reschedule'
        ? await calendarOfDeadline(first)
        : undefined;
    const processingAgency =
      action === 'issue_result' ? await agencyOf(first.processing_unit_code) : undefined;
    const asFirstRead = (current: DossierRow) => {
      const calendarVersion = (r: DossierRow) =>
        (r.deadline?.inputs as { calendarVersion?: string } | undefined)?.calendarVersion;
      if (
        current.processing_unit_code !== first.processing_unit_code ||
        calendarVersion(current) !== calendarVersion(first)
      )
        throw new AppError('DOSSIER_CHANGED', { code, version: current.version });
    };

    const row = await db
      .transaction(async (tx) => {
        const current = await loadRow(code, tx, true);
        // A retry sent while the first was in flight (a phone that timed out and sent again) waited here for the
        // row: once the first has committed its command is there, and the retry answers with the dossier as it
        // left it, as a retry after the fact does.
        const done = await repo.findCommand(tx, owner, transactionId);
        if (done) {
          if (done.action !== action || done.dossier_code !== code)
            throw new AppError('DOSSIER_TRANSACTION_REUSED', { transactionId });
          return current;
        }
        const decision = decideAction(current.status, action, [...roles.keys()], workflow);
        if (!decision.ok && decision.reason === 'role') {
          throw new AppError('DOSSIER_ROLE_NOT_ALLOWED', {
            action,
            roles: decision.roles,
            rolesText: decision.roles.map((r) => vi(`role.${r}`)).join(', '),
          });
        }
        if (expectedVersion !== undefined && expectedVersion !== current.version)
          throw new AppError('DOSSIER_CHANGED', { code, version: current.version });
        if (!decision.ok) {
          const allowed = decision.reason === 'status' ? decision.allowed : [];
          throw new AppError('DOSSIER_ACTION_NOT_ALLOWED', {
            action,
            status: current.status,
            allowed,
            allowedText: allowed.map((a) => vi(`dossier.action.${a}`)).join(', ') || vi('dossier.noAction'),
          });
        }
        const actingRole = rolesForAction(action, workflow).find((r) => roles.has(r))!;
        const actions = await repo.listActions(tx, current.unit_code, code);
        const status = nextStatus(current.status, action, statusBeforeSupplement(actions));
        const change: repo.DossierChange = { status };

        switch (action) {
          case 'accept': {
            // Received now: the deadline of the procedure version it was filed under starts at acceptance.
            asFirstRead(current);
            const deadline = acceptance!;
            change.receivedAt = now;
            change.dueAt = deadline.dueAt;
            change.deadline = deadline.deadline;
            change.deadlineState = deadlineState(deadline.dueAt, now, deadline.calendar).state;
            details.dueAt = deadline.dueAt.toISOString();
            break;
          }
          case 'return_online':
            change.finishedAt = now;
            break;
          case 'assign':
            change.assignedTo = assignee!.id;
            change.assignedName = assignee!.fullName;
            break;
          case 'request_supplement':
            change.supplementRequests = current.supplement_requests + 1;
            change.deadlineState = null;
            // QĐ 766 (DOMAIN §3.3, §7.2): more than one supplement request counts the dossier as late.
            if (current.supplement_requests >= 1) details.countsAsLate = true;
            details.dueAtBefore = iso(current.due_at);
            break;
          case 'receive_supplement': {
            const pauses = pausesOf(actions);
            if (pauses.length > 0) pauses[pauses.length - 1]!.to = now;
            const inputs = current.deadline?.inputs as { rule?: unknown } | undefined;
            asFirstRead(current);
            if (current.received_at && inputs?.rule && !current.rescheduled) {
              const calendar = firstCalendar!;
              const result = computeDueAtWithPauses({
                receivedAt: current.received_at,
                rule: inputs.rule as Parameters<typeof computeDueAtWithPauses>[0]['rule'],
                calendar,
                pauses,
              });
              if (result.ok && !result.paused) {
                change.dueAt = result.dueAt;
                change.deadline = { explanation: result.explanation, inputs: result.inputs };
                change.deadlineState = deadlineState(result.dueAt, now, calendar).state;
              }
            } else if (current.due_at) {
              change.deadlineState = deadlineState(current.due_at, now, firstCalendar!).state;
            }
            details.dueAtBefore = iso(current.due_at);
            details.dueAtAfter = iso(change.dueAt ?? current.due_at);
            break;
          }
          case 'reject':
            break;
          case 'issue_result': {
            change.resultAt = now;
            change.deadlineState = null;
            details.onTime = current.due_at ? now.getTime() <= current.due_at.getTime() : null;
            const fileId = crypto.randomUUID();
            await repo.insertFile(tx, current.unit_code, {
              id: fileId,
              dossier_code: code,
              kind: 'result',
              component_position: null,
              file_name: resultFile!.fileName,
              media_type: resultFile!.mediaType,
              size_bytes: resultFile!.size,
              sha256: resultFile!.sha256,
              uploaded_at: now,
              uploaded_by: actor.userId,
            });
            // A PDF result is signed by the leader who approved it, then by the agency (Nghị định 30/2020 Art. 13,
            // 33: the agency's signature after the authority's); images are kept as scans, unsigned.
            if (deps.signing && resultFile!.mediaType === 'application/pdf') {
              asFirstRead(current);
              const steps: SigningStep[] = [
                {
                  role: 'leader',
                  holder: {
                    kind: 'person',
                    userId: approver.userId,
                    username: approver.username,
                    name: approver.fullName,
                    unitName: processingAgency!.committeeName,
                  },
                },
                {
                  role: 'agency',
                  holder: {
                    kind: 'agency',
                    unitCode: current.processing_unit_code,
                    name: processingAgency!.committeeName,
                  },
                },
              ];
              toSign = await deps.signing.enqueue(tx, {
                id: resultDocumentId,
                unitCode: current.unit_code,
                dossierCode: code,
                kind: 'result',
                title: 'Kết quả giải quyết thủ tục hành chính',
                fileName: resultFile!.fileName,
                sourceSha256: resultFile!.sha256,
                layout: resultLayout,
                fileId,
                steps,
              });
            }
            break;
          }
          case 'return_result':
            change.returnedAt = now;
            change.finishedAt = now;
            break;
          case 'refuse':
          case 'stop':
          case 'withdraw':
            change.finishedAt = now;
            change.resultAt = action === 'withdraw' ? null : now;
            change.deadlineState = null;
            break;
          case 'transfer':
            change.processingUnitCode = target!.code;
            change.assignedTo = null;
            change.assignedName = null;
            break;
          case 'reschedule': {
            if (!current.due_at)
              throw new AppError('DOSSIER_RESCHEDULE_REFUSED', { reason: 'Hồ sơ chưa có ngày hẹn trả.' });
            asFirstRead(current);
            const calendar = firstCalendar!;
            const state = deadlineState(current.due_at, now, calendar);
            if (state.state === 'on_track')
              throw new AppError('DOSSIER_RESCHEDULE_REFUSED', {
                reason: 'Hồ sơ còn trong hạn: chỉ xin lỗi và hẹn lại khi sắp đến hạn hoặc đã quá hạn.',
              });
            const moved = reschedule(
              {
                originalDueAt: current.original_due_at ?? current.due_at,
                dueAt: current.due_at,
                reschedules: current.rescheduled
                  ? [
                      {
                        previousDueAt: current.original_due_at ?? current.due_at,
                        newDueAt: current.due_at,
                        reason: '',
                      },
                    ]
                  : [],
              },
              input.newDueAt!,
              reasons.join('; '),
            );
            if (!moved.ok) throw new AppError('DOSSIER_RESCHEDULE_REFUSED', { reason: moved.reason });
            change.dueAt = input.newDueAt!;
            change.rescheduled = true;
            change.deadlineState = deadlineState(input.newDueAt!, now, calendar).state;
            details.previousDueAt = current.due_at.toISOString();
            details.newDueAt = input.newDueAt!.toISOString();
            details.reasons = reasons;
            break;
          }
          default:
            break;
        }

        const version = current.version + 1;
        await repo.insertAction(tx, current.unit_code, code, {
          seq: actions.length + 1,
          action,
          status_after: status,
          at: now,
          actor_id: actor.userId,
          actor_name: actor.fullName,
          actor_role: actingRole,
          acting_unit_code: roles.get(actingRole)!,
          transaction_id: transactionId,
          details,
        });
        await repo.updateDossier(tx, current.unit_code, code, version, change, now);
        await repo.insertCommand(tx, {
          unitCode: current.unit_code,
          transactionId,
          dossierCode: code,
          action,
          actorId: actor.userId,
          at: now,
        });
        const updated = (await repo.findDossier(tx, current.unit_code, code))!;
        await notify(tx, updated, action, details);
        // Last: the audit chain's lock is held from here to the commit, for every writer of the province.
        await audit(tx, actor, roles.get(actingRole)!, action, code, details, info);
        return updated;
      })
      .catch(async (error: unknown) => {
        if (isUniqueViolation(error)) {
          const winner = await once(owner, transactionId, action, code);
          if (winner) return winner;
        }
        if (error instanceof AppError && error.code === 'DOSSIER_ROLE_NOT_ALLOWED') {
          await identity
            .deny(actor, 'FORBIDDEN', processing.code, `dossier.${action}`, info)
            .catch(() => undefined);
        }
        throw error;
      });
    if (toSign) await deps.signing!.attempt(owner, toSign).catch(() => undefined);
    return present(row);
  }

  /** Who signs a result: the leader whose approval the log records last, else the officer issuing it. */
  async function approverOf(owner: string, code: string, actor: Principal): Promise<Principal> {
    const actions = await repo.listActions(db, owner, code);
    const approval = [...actions].reverse().find((a) => a.action === 'approve');
    if (approval?.actor_id) {
      const approver = await identity.loadPrincipal(approval.actor_id);
      if (approver) return approver;
    }
    return actor;
  }

  /**
   * A file uploaded before the dossier (or its result) exists: checked by content (PDF, JPEG, PNG), size-limited,
   * stored under its SHA-256 and recorded, so a form can refer to it by id even after a failed submit.
   */
  async function keepUpload(
    uploader: { userId: string | null },
    unitCode: string,
    file: { fileName: string; bytes: Buffer },
  ) {
    if (file.bytes.length === 0)
      throw new AppError('UPLOAD_TYPE_NOT_ALLOWED', { fileName: file.fileName, reason: 'tệp rỗng' });
    if (file.bytes.length > deps.maxUploadBytes)
      throw new AppError('UPLOAD_TOO_LARGE', {
        fileName: file.fileName,
        limit: Math.round(deps.maxUploadBytes / 1024 / 1024),
      });
    const mediaType: UploadMediaType | null = sniffMediaType(file.bytes);
    if (!mediaType)
      throw new AppError('UPLOAD_TYPE_NOT_ALLOWED', {
        fileName: file.fileName,
        reason: 'không phải PDF, JPEG hay PNG',
      });
    const sha256 = await deps.files.put(file.bytes);
    const upload = {
      id: crypto.randomUUID(),
      file_name: file.fileName.replace(/[\\/]/g, '_').slice(0, 200) || 'tep',
      media_type: mediaType,
      size_bytes: file.bytes.length,
      sha256,
      uploaded_at: clock.now(),
      uploaded_by: uploader.userId,
    };
    await repo.insertUpload(db, unitCode, upload);
    return { id: upload.id, fileName: upload.file_name, mediaType, sizeBytes: upload.size_bytes, sha256 };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reading

  async function agencyOf(unitCode: string): Promise<FormAgency> {
    const unit = await getUnit(unitCode);
    const province = unit.parentCode ? await getUnit(unit.parentCode) : unit;
    return {
      committeeName: `Ủy ban nhân dân ${inSentence(unit.fullName)}`,
      centreName: `Trung tâm Phục vụ hành chính công ${inSentence(unit.fullName)}`,
      placeName: unit.name,
      provinceName: province.fullName,
    };
  }

  async function getDossierDetail(actor: Principal, code: string, info: RequestInfo) {
    const row = await loadRow(code);
    const { receiving, processing } = await assertCanView(actor, row, info);
    await deps.signing?.settled(row.unit_code, code);
    const [actions, components, files, workflow, signedDocuments] = await Promise.all([
      repo.listActions(db, row.unit_code, code),
      componentsOf(row),
      repo.listFiles(db, row.unit_code, code),
      getWorkflow(row.procedure_code),
      documentsOf(row),
    ]);
    const roles = [...actingRoles(actor, receiving, processing).keys()];
    const assignees = roles.length
      ? await identity.listStaffWithRole(row.processing_unit_code, 'specialist')
      : [];
    return {
      dossier: present(row),
      receivingUnit: receiving,
      processingUnit: processing,
      statusLabel: VIETNAMESE_STATUS[row.status],
      actions: actions.map((a) => ({ ...a, at: a.at.toISOString() })),
      components,
      files: files.map((f) => ({ ...f, uploaded_at: f.uploaded_at.toISOString() })),
      allowedActions: await offeredActions(row, allowedActions(row.status, roles, workflow)),
      assignees,
      controlSlip: await controlSlipRows(row, actions, workflow),
      signedDocuments,
    };
  }

  /** The documents signed (or being signed) for the dossier: its receipt and its results. */
  async function documentsOf(row: DossierRow): Promise<SignedDocument[]> {
    return (await deps.signing?.listForDossier(row.unit_code, row.code)) ?? [];
  }

  /** A result file the applicant may have: signed by everyone, or not to be signed (a scanned image). */
  function isReleased(file: { id: string }, documents: SignedDocument[]): boolean {
    return documents.every((d) => d.fileId !== file.id || d.status === 'signed');
  }

  async function releasedResults(row: DossierRow, documents: SignedDocument[]) {
    const files = await repo.listFiles(db, row.unit_code, row.code);
    return files.filter((f) => f.kind === 'result' && isReleased(f, documents));
  }

  /** What a page offers: the apology and new date (Mẫu 04) only once, and only when the dossier is late or nearly. */
  async function offeredActions(row: DossierRow, allowed: DossierAction[]): Promise<DossierAction[]> {
    if (!allowed.includes('reschedule')) return allowed;
    const isLate =
      row.due_at !== null &&
      !row.rescheduled &&
      deadlineState(row.due_at, clock.now(), await calendarOfDeadline(row)).state !== 'on_track';
    return isLate ? allowed : allowed.filter((a) => a !== 'reschedule');
  }

  /** Mẫu 06 rows: every hand-off of the log, judged against the statutory end of the step it leaves. */
  async function controlSlipRows(
    row: DossierRow,
    actions: repo.ActionRow[],
    workflow: WorkflowDefinition,
  ): Promise<ControlSlipRow[]> {
    const shares = cumulativeShares(workflow);
    let stepEnds: Partial<Record<WorkflowStep, Date | null>> = {};
    const inputs = row.deadline?.inputs as { countingStartsAt?: string } | undefined;
    if (row.due_at && row.received_at) {
      const calendar = await calendarOfDeadline(row);
      const steps = ['reception', 'processing', 'approval', 'result'] as const;
      const ends = stepDeadlines({
        countingStartsAt: inputs?.countingStartsAt ?? row.received_at,
        dueAt: row.due_at,
        pauses: pausesOf(actions),
        calendar,
        cumulativeShares: steps.map((s) => shares[s]),
      });
      stepEnds = Object.fromEntries(steps.map((s, i) => [s, ends[i] ?? null]));
    }
    const applicant = { name: row.applicant.name, unit: 'Người nộp hồ sơ' };
    const desk = { name: 'Bộ phận tiếp nhận và trả kết quả', unit: row.unit_code };
    const result: ControlSlipRow[] = [];
    let before: DossierStatus | null = null;
    let assigneeName = '';
    for (const a of actions) {
      const giver = { name: a.actor_name, unit: a.acting_unit_code };
      const step = before ? stepOfStatus(before) : null;
      const judge = (at: Date): HandOffResult | null => {
        const end = step ? stepEnds[step] : null;
        if (!end) return null;
        if (at.getTime() > end.getTime()) return 'late';
        return vietnamDate(at) < vietnamDate(end) ? 'early' : 'on_time';
      };
      const push = (receiver: { name: string; unit: string }, note: string) =>
        result.push({
          step: step ? stepName(workflow, step) : 'Tiếp nhận',
          giver,
          receiver,
          handedAt: a.at,
          stepDueAt: step ? (stepEnds[step] ?? null) : null,
          result: judge(a.at),
          note,
        });
      const d = a.details as { assignee?: { name: string }; toUnit?: string; note?: string };
      switch (a.action) {
        case 'assign':
          assigneeName = d.assignee?.name ?? '';
          push({ name: assigneeName, unit: row.processing_unit_code }, 'Phân công xử lý');
          break;
        case 'transfer':
          push({ name: 'Lãnh đạo đơn vị', unit: d.toUnit ?? '' }, 'Chuyển liên thông');
          break;
        case 'request_supplement':
          push(applicant, 'Yêu cầu bổ sung hồ sơ');
          break;
        case 'receive_supplement':
          result.push({
            step: 'Bổ sung hồ sơ',
            giver: applicant,
            receiver: giver,
            handedAt: a.at,
            stepDueAt: null,
            result: null,
            note: 'Nhận hồ sơ bổ sung',
          });
          break;
        case 'submit_for_approval':
          push({ name: 'Lãnh đạo phê duyệt', unit: row.processing_unit_code }, 'Trình phê duyệt');
          break;
        case 'reject':
          push({ name: assigneeName, unit: row.processing_unit_code }, 'Trả lại để xử lý lại');
          break;
        case 'issue_result':
          push(desk, 'Chuyển kết quả để trả');
          break;
        case 'return_result':
          push(applicant, 'Trả kết quả');
          break;
        case 'refuse':
        case 'stop':
        case 'withdraw':
          push(applicant, VIETNAMESE_STATUS[a.status_after]);
          break;
        default:
          break;
      }
      before = a.status_after;
    }
    return result;
  }

  async function formBase(
    row: DossierRow,
    issuedBy: { name: string; title: string },
  ): Promise<DossierFormBase> {
    return {
      agency: await agencyOf(row.unit_code),
      dossierCode: row.code,
      procedure: { code: row.procedure_code, name: row.procedure_name, field: '' },
      applicant: row.applicant,
      representative: row.representative,
      issuedAt: clock.now(),
      issuedBy,
    };
  }

  function firstAction(actions: repo.ActionRow[], names: string[]) {
    return [...actions].reverse().find((a) => names.includes(a.action));
  }

  const FORM_TITLES = {
    '01': 'Cán bộ tiếp nhận',
    '02': 'Cán bộ tiếp nhận',
    '03': 'Cán bộ tiếp nhận',
    '04': 'Thủ trưởng cơ quan',
    '05': 'Cán bộ tiếp nhận',
    '06': 'Cán bộ tiếp nhận',
  } as const;

  type FormNumber = keyof typeof FORM_TITLES;

  /** The data of form Mẫu `number` for the dossier; refused with 409 when the dossier has no such event. */
  async function formData(actor: Principal, code: string, number: FormNumber, info: RequestInfo) {
    const row = await loadRow(code);
    await assertCanView(actor, row, info);
    const data = await formDataOf(row, number, actor.fullName);
    if (number === '01') await deps.signing?.settled(row.unit_code, code);
    // The receipt as the centre signed it, once its signature exists and verified.
    const receipt =
      number === '01'
        ? (await documentsOf(row)).find((d) => d.kind === 'receipt' && d.status === 'signed')
        : undefined;
    return { ...data, signed: receipt ? await deps.signing!.signedFile(receipt) : undefined };
  }

  /** The form's data from the dossier and its log; `fallbackName` signs when the log names no one. */
  async function formDataOf(row: DossierRow, number: FormNumber, fallbackName: string) {
    const code = row.code;
    const actions = await repo.listActions(db, row.unit_code, code);
    const notIssued = () =>
      new AppError('DOSSIER_FORM_NOT_AVAILABLE', {
        form: number,
        status: vi(`dossier.status.${row.status}`),
      });
    const by = (a: repo.ActionRow | undefined) => ({
      name: a?.actor_name ?? fallbackName,
      title: FORM_TITLES[number],
    });
    switch (number) {
      case '01': {
        const a = firstAction(actions, ['receive']);
        if (!a || !row.received_at) throw notIssued();
        const [record, components] = await Promise.all([
          deps.procedures.getProcedure(row.procedure_code, row.procedure_version),
          componentsOf(row),
        ]);
        const rule =
          record.record.channels.find((c) => c.channel === row.channel) ?? record.record.channels[0];
        const form: ReceiptForm = {
          ...(await formBase(row, by(a))),
          receiptNumber: `${row.register_number}/TNHS`,
          request: row.request_summary,
          components: components
            .filter((c) => c.is_provided)
            .map((c) => ({
              name: c.name,
              originals: c.originals,
              copies: c.copies,
              digitised: c.digitisation === 'scanned',
            })),
          setsCount: row.sets_count,
          processingTimeText: rule ? describeProcessingTime(rule.processingTime) : '',
          receivedAt: row.received_at,
          dueAt: row.original_due_at,
          returnPlace: row.return_method,
          register: { book: row.register_book, number: row.register_number },
          trackingUrl: trackingUrl(row),
          trackingSecret: row.tracking_secret,
        };
        form.issuedAt = a.at;
        form.procedure.field = record.record.field;
        return { number, form };
      }
      case '02': {
        const a = firstAction(actions, ['request_supplement', 'request_completion']);
        if (!a) throw notIssued();
        const d = a.details as { items?: string[]; reasons?: string[]; note?: string };
        const form: SupplementRequestForm = {
          ...(await formBase(row, by(a))),
          receivedAt: row.received_at,
          items: d.items ?? d.reasons ?? [],
          reason: d.note ?? 'Hồ sơ chưa đầy đủ, chưa hợp lệ theo quy định.',
          atReception: a.action === 'request_completion',
          trackingUrl: trackingUrl(row),
        };
        form.issuedAt = a.at;
        return { number, form };
      }
      case '03': {
        const a = firstAction(actions, ['refuse', 'refuse_at_intake']);
        if (!a) throw notIssued();
        const form: RefusalForm = {
          ...(await formBase(row, by(a))),
          receivedAt: row.received_at,
          reasons: (a.details as { reasons?: string[] }).reasons ?? [],
        };
        form.issuedAt = a.at;
        return { number, form };
      }
      case '04': {
        const a = firstAction(actions, ['reschedule']);
        if (!a || !row.received_at) throw notIssued();
        const d = a.details as { previousDueAt: string; newDueAt: string; reasons?: string[] };
        const form: ApologyForm = {
          ...(await formBase(row, by(a))),
          receivedAt: row.received_at,
          originalDueAt: new Date(d.previousDueAt),
          newDueAt: new Date(d.newDueAt),
          reason: (d.reasons ?? []).join('; '),
          signedBy: { name: a.actor_name, title: 'Thủ trưởng cơ quan' },
        };
        form.agency = await agencyOf(a.acting_unit_code);
        form.issuedAt = a.at;
        return { number, form };
      }
      case '05': {
        const a = firstAction(actions, ['stop']);
        if (!a) throw notIssued();
        const form: StopNoticeForm = {
          ...(await formBase(row, by(a))),
          receivedAt: row.received_at,
          requestedAt: a.at,
          reason: ((a.details as { reasons?: string[] }).reasons ?? []).join('; '),
        };
        form.issuedAt = a.at;
        return { number, form };
      }
      case '06': {
        if (!row.received_at) throw notIssued();
        const workflow = await getWorkflow(row.procedure_code);
        const processingAgency = await agencyOf(row.processing_unit_code);
        const form: ControlSlipForm = {
          ...(await formBase(row, by(actions[0]))),
          handlingBody: processingAgency.committeeName,
          coordinatingBodies:
            row.unit_code !== row.processing_unit_code ? [(await agencyOf(row.unit_code)).centreName] : [],
          receivedAt: row.received_at,
          dueAt: row.due_at,
          rows: await controlSlipRows(row, actions, workflow),
          trackingUrl: trackingUrl(row),
        };
        return { number, form };
      }
    }
  }

  return {
    getWorkflow,

    /** A procedure's workflow (its own, or the default); PROCEDURE_NOT_FOUND for an unknown procedure. */
    async getWorkflowOf(procedureCode: string) {
      await deps.procedures.getProcedure(procedureCode);
      return getWorkflow(procedureCode);
    },
    receiveDossier,

    /**
     * A dossier filed online by its applicant (a citizen account or a verified guest): it waits as `submitted` for
     * the desk to check and accept it, which starts the deadline. Retrying with the same transaction id (the
     * draft's) answers with the same dossier.
     */
    async submitOnline(
      filer: { userId: string | null; contact: string | null; name: string },
      receivingUnitCode: string,
      input: IntakeInput,
      eformAnswers: Record<string, unknown>,
      info: RequestInfo,
      transactionId: string,
    ): Promise<DossierView> {
      const receiving = await getUnit(receivingUnitCode);
      if (receiving.level !== 'commune' || receiving.parentCode !== deps.provinceCode)
        invalid([{ field: 'centre', key: 'dossier.v.processingUnit' }]);
      const by = {
        userId: filer.userId,
        username: filer.userId ? filer.name : `khách ${filer.contact ?? ''}`,
        name: filer.name,
        role: 'citizen',
      };
      return fileDossier(
        by,
        receiving,
        { ...input, channel: 'online' },
        'submit_online',
        info,
        transactionId,
        {
          ownerUserId: filer.userId,
          ownerContact: filer.contact,
          eformAnswers,
        },
      );
    },

    /** What the start page of filing online shows: the procedure and the papers to have ready. */
    async procedureForFiling(code: string) {
      const procedure = await deps.procedures.getProcedure(code);
      return {
        code: procedure.code,
        name: procedure.record.name,
        components: procedureComponents(procedure.record).map((c) => ({
          name: c.name,
          isRequired: c.isRequired,
        })),
        hasOnlineChannel: procedure.record.channels.some((c) => c.channel === 'online'),
      };
    },

    /** The applicant's fields checked as at the counter (the online page shows the same messages). */
    applicantProblems(applicant: ApplicantData) {
      return personProblems('applicant', cleanPerson(applicant));
    },

    /** Phiếu nộp hồ sơ trực tuyến: what was filed, when, where, and the QR code of the tracking page. */
    async submissionPdf(code: string, secret: string) {
      const owner = unitOfDossierCode(code);
      const row = owner ? await repo.findDossier(db, owner, code) : undefined;
      if (!row || !trackingSecretMatches(row.tracking_secret, secret))
        throw new AppError('DOSSIER_NOT_FOUND', { code });
      const [components, files] = await Promise.all([
        componentsOf(row),
        repo.listFiles(db, row.unit_code, code),
      ]);
      const { renderSubmissionReceipt } = await import('./dossier-result.ts');
      return renderSubmissionReceipt({
        agency: await agencyOf(row.unit_code),
        dossierCode: row.code,
        procedureName: row.procedure_name,
        applicant: row.applicant,
        filedAt: row.filed_at,
        components: components.map((c) => ({
          name: c.name,
          files: files.filter((f) => f.component_position === c.position).map((f) => f.file_name),
        })),
        trackingUrl: trackingUrl(row),
        trackingSecret: row.tracking_secret,
      });
    },

    /** What a confirmation page shows the one who just filed: the code, the tracking link, the state. */
    async trackingOf(code: string) {
      const row = await loadRow(code);
      return {
        code: row.code,
        procedureName: row.procedure_name,
        status: row.status,
        trackingUrl: trackingUrl(row),
        trackingSecret: row.tracking_secret,
        filedAt: row.filed_at.toISOString(),
        receivingUnitCode: row.unit_code,
        applicantName: row.applicant.name,
        fees: row.fees,
      };
    },

    /**
     * The applicant's rating once the result was returned (hài lòng / bình thường / không hài lòng, QĐ 766 group 5):
     * reached with the code and the secret of the receipt (tracking page) or at the counter by the desk officer.
     * One rating per dossier; a second is refused.
     */
    async rate(
      code: string,
      secret: string | null,
      rating: 'satisfied' | 'neutral' | 'dissatisfied',
      comment: string,
      channel: 'tracking' | 'counter',
    ) {
      const owner = unitOfDossierCode(code);
      const row = owner ? await repo.findDossier(db, owner, code) : undefined;
      if (!row || (secret !== null && !trackingSecretMatches(row.tracking_secret, secret)))
        throw new AppError('DOSSIER_NOT_FOUND', { code });
      if (row.status !== 'returned')
        throw new AppError('DOSSIER_RATING_REFUSED', { reason: vi('dossier.rating.afterReturn') });
      if (comment.length > 2000) invalid([{ field: 'comment', key: 'dossier.v.comment' }]);
      const saved = await repo.insertRating(db, {
        unitCode: row.unit_code,
        dossierCode: code,
        rating,
        comment: comment.trim(),
        channel,
        at: clock.now(),
      });
      if (!saved) throw new AppError('DOSSIER_RATING_REFUSED', { reason: vi('dossier.rating.already') });
    },

    /** The counter tablet's page: the dossier (for an officer who may see it) and its rating, if given. */
    async ratingAtCounter(actor: Principal, code: string, info: RequestInfo) {
      const row = await loadRow(code);
      await assertCanView(actor, row, info);
      return {
        code: row.code,
        procedureName: row.procedure_name,
        rating: (await repo.findRating(db, row.unit_code, code))?.rating ?? null,
      };
    },

    /** The applicant rates on the officer's tablet: the officer must be one who may see the dossier. */
    async rateAtCounter(
      actor: Principal,
      code: string,
      rating: 'satisfied' | 'neutral' | 'dissatisfied',
      comment: string,
      info: RequestInfo,
    ) {
      await assertCanView(actor, await loadRow(code), info);
      await this.rate(code, null, rating, comment, 'counter');
    },

    async findRating(code: string) {
      const owner = unitOfDossierCode(code);
      return owner ? repo.findRating(db, owner, code) : undefined;
    },

    /** A result file for the applicant on the tracking page (code and secret). */
    async getResultFile(code: string, secret: string, fileId: string) {
      const owner = unitOfDossierCode(code);
      const row = owner ? await repo.findDossier(db, owner, code) : undefined;
      if (!row || !trackingSecretMatches(row.tracking_secret, secret))
        throw new AppError('DOSSIER_NOT_FOUND', { code });
      const file = (await releasedResults(row, await documentsOf(row))).find((f) => f.id === fileId);
      if (!file) throw new AppError('DOSSIER_FILE_NOT_FOUND', { id: fileId });
      return {
        fileName: file.file_name,
        mediaType: file.media_type,
        bytes: await deps.files.get(file.sha256),
      };
    },

    /** An upload of an online filing (before the dossier exists), kept under the chosen centre. */
    storeFilingUpload(
      uploader: { userId: string | null },
      unitCode: string,
      file: { fileName: string; bytes: Buffer },
    ) {
      return keepUpload(uploader, unitCode, file);
    },

    /** The problems an intake has (the counter form asks when a file was refused, to show every mistake at once). */
    async checkIntake(actor: Principal, receivingUnitCode: string, input: IntakeInput, info: RequestInfo) {
      const receiving = await getUnit(receivingUnitCode);
      await identity.assertCan(actor, 'dossiers.receive', receiving, info);
      return (await prepareIntake(receiving, input)).problems;
    },
    act,
    getDossierDetail,
    formData,
    agencyOf,

    /** An officer's "ký lại": one more attempt now at a document of the dossier whose signing failed or waits. */
    async retrySigning(actor: Principal, code: string, documentId: string, info: RequestInfo) {
      const row = await loadRow(code);
      await assertCanView(actor, row, info);
      const document = deps.signing ? await deps.signing.get(row.unit_code, documentId) : undefined;
      if (!document || document.dossierCode !== code)
        throw new AppError('DOSSIER_FILE_NOT_FOUND', { id: documentId });
      return deps.signing!.attempt(row.unit_code, documentId, true);
    },

    /** How many dossiers a unit has received (demo data is loaded only where there are none). */
    countDossiers(unitCode: string): Promise<number> {
      return repo.countReceived(db, unitCode);
    },

    /** The dossier as the national portal synchronises it (DOMAIN §6): DongBoHoSoMC with its QuaTrinhXuLy. */
    async portalDossier(actor: Principal, code: string, info: RequestInfo) {
      const detail = await getDossierDetail(actor, code, info);
      const d = detail.dossier;
      const procedure = await deps.procedures.getProcedure(d.procedure.code, d.procedure.version);
      const fileUrl = (id: string) => `${deps.publicUrl}/can-bo/ho-so/${code}/tep/${id}`;
      const slip = detail.controlSlip;
      const unitNames = new Map([
        [detail.receivingUnit.code, detail.receivingUnit.fullName],
        [detail.processingUnit.code, detail.processingUnit.fullName],
      ]);
      return toPortalDossier({
        code: d.code,
        procedure: {
          code: d.procedure.code,
          name: d.procedure.name,
          field: procedure.record.field,
          fieldCode: null,
        },
        channel: d.channel,
        applicant: d.applicant,
        requestSummary: d.requestSummary,
        status: d.status,
        filedAt: new Date(d.filedAt),
        receivedAt: d.receivedAt ? new Date(d.receivedAt) : null,
        dueAt: d.dueAt ? new Date(d.dueAt) : null,
        resultAt: d.resultAt ? new Date(d.resultAt) : null,
        returnedAt: d.returnedAt ? new Date(d.returnedAt) : null,
        returnMethod: d.returnMethod,
        processingUnitName: detail.processingUnit.fullName,
        receivingUnitName: detail.receivingUnit.fullName,
        fees: d.fees,
        components: detail.components.map((c) => ({
          position: c.position,
          name: c.name,
          digitisation: c.digitisation,
          files: detail.files
            .filter((f) => f.kind === 'component' && f.component_position === c.position)
            .map((f) => ({ name: f.file_name, url: fileUrl(f.id) })),
        })),
        results: detail.files
          .filter((f) => f.kind === 'result')
          .map((f) => ({ name: f.file_name, url: fileUrl(f.id) })),
        actions: detail.actions.map((a) => ({
          action: a.action,
          label: vi(`dossier.action.${a.action}` as MessageKey),
          at: new Date(a.at),
          actorName: a.actor_name,
          actorRole: a.actor_role,
          unitName: unitNames.get(a.acting_unit_code) ?? a.acting_unit_code,
          statusAfter: a.status_after,
          details: a.details,
          stepDueAt: slip.find((r) => r.handedAt.getTime() === new Date(a.at).getTime())?.stepDueAt ?? null,
        })),
      });
    },

    /** The bytes of a file of the dossier (a scan or the result), for someone who may see the dossier. */
    async getFile(actor: Principal, code: string, fileId: string, info: RequestInfo) {
      const row = await loadRow(code);
      await assertCanView(actor, row, info);
      const files = await repo.listFiles(db, row.unit_code, code);
      const file = files.find((f) => f.id === fileId);
      if (!file) throw new AppError('DOSSIER_FILE_NOT_FOUND', { id: fileId });
      return {
        fileName: file.file_name,
        mediaType: file.media_type,
        bytes: await deps.files.get(file.sha256),
      };
    },

    /**
     * A file uploaded at the counter before the dossier exists: checked by content (PDF, JPEG, PNG), size-limited,
     * stored under its SHA-256 and recorded, so the intake form can refer to it by id even after a failed submit.
     */
    async storeUpload(
      actor: Principal,
      unitCode: string,
      file: { fileName: string; bytes: Buffer },
      info: RequestInfo,
    ) {
      const unit = await getUnit(unitCode);
      await identity.assertCan(actor, 'dossiers.receive', unit, info);
      return keepUpload(actor, unit.code, file);
    },

    /** A result file uploaded for a dossier, before `issue_result` names it: kept under the dossier's owner. */
    async storeResultUpload(
      actor: Principal,
      code: string,
      file: { fileName: string; bytes: Buffer },
      info: RequestInfo,
    ) {
      const row = await loadRow(code);
      await assertCanView(actor, row, info);
      return keepUpload(actor, row.unit_code, file);
    },

    async findUploads(unitCode: string, ids: string[]) {
      const valid = ids.filter((id) => /^[0-9a-f-]{36}$/.test(id));
      return (await repo.findUploads(db, unitCode, valid)).map((u) => ({
        id: u.id,
        fileName: u.file_name,
        mediaType: u.media_type,
        sizeBytes: u.size_bytes,
      }));
    },

    /**
     * Work queues. `mine`: dossiers assigned to the actor; `unit`: every open dossier processed at the unit;
     * `centre`: open dossiers received at the centre (results waiting to be returned there). Sorted by due date.
     */
    async listQueue(
      actor: Principal,
      query: {
        scope: 'mine' | 'unit' | 'centre';
        unitCode: string;
        status?: DossierStatus | undefined;
        procedureCode?: string | undefined;
        channel?: Channel | undefined;
        deadlineState?: repo.DeadlineStateName | undefined;
        q?: string | undefined;
        page: number;
        pageSize: number;
      },
      info: RequestInfo,
    ) {
      const unit = await getUnit(query.unitCode);
      if (query.scope !== 'mine') await identity.assertCan(actor, 'dossiers.view', unit, info);
      const filter: repo.QueueFilter = {
        ...(query.scope === 'mine' ? { assignedTo: actor.userId } : {}),
        ...(query.scope === 'unit' ? { processingUnitCodes: [unit.code] } : {}),
        ...(query.scope === 'centre' ? { receivingUnitCode: unit.code } : {}),
        status: query.status,
        procedureCode: query.procedureCode,
        channel: query.channel,
        deadlineState: query.deadlineState,
        applicantSearch: query.q ? foldText(query.q) : undefined,
      };
      const cap = 10_000;
      const [items, total] = await Promise.all([
        repo.listQueue(db, filter, query.pageSize, (query.page - 1) * query.pageSize),
        repo.countQueue(db, filter, cap + 1),
      ]);
      return {
        items: items.map((r) => ({
          code: r.code,
          procedureCode: r.procedure_code,
          procedureName: r.procedure_name,
          applicantName: r.applicant_name,
          channel: r.channel,
          status: r.status,
          processingUnitCode: r.processing_unit_code,
          assignedName: r.assigned_name,
          receivedAt: iso(r.received_at),
          dueAt: iso(r.due_at),
          deadlineState: r.deadline_state,
          version: r.version,
        })),
        total: Math.min(total, cap),
        isTotalCapped: total > cap,
      };
    },

    /** Each unit's load for a leader: open dossiers, due soon, overdue, waiting for supplements, unassigned. */
    async unitLoad(actor: Principal, info: RequestInfo) {
      const scope = await identity.scopeOf(actor, 'dossiers.oversee');
      if (scope !== 'all' && scope.length === 0) {
        const province = await getUnit(deps.provinceCode);
        await identity.assertCan(actor, 'dossiers.oversee', province, info);
      }
      const rows = await repo.loadByUnit(db, scope);
      const names = new Map<string, string>();
      for (const r of rows)
        names.set(r.processing_unit_code, (await getUnit(r.processing_unit_code)).fullName);
      return rows.map((r) => ({
        ...r,
        unitName: names.get(r.processing_unit_code) ?? r.processing_unit_code,
      }));
    },

    /** Mẫu 07 for one receiving unit and period [from, to). */
    async register(
      actor: Principal,
      unitCode: string,
      from: Date,
      to: Date,
      info: RequestInfo,
    ): Promise<RegisterForm> {
      const unit = await getUnit(unitCode);
      await identity.assertCan(actor, 'dossiers.view', unit, info);
      const rows = await repo.listRegister(db, unit.code, from, to);
      const processingNames = new Map<string, string>();
      for (const r of rows) {
        if (!processingNames.has(r.processing_unit_code))
          processingNames.set(r.processing_unit_code, (await agencyOf(r.processing_unit_code)).committeeName);
      }
      return {
        agency: await agencyOf(unit.code),
        book: `Quyển số ${vietnamDate(from).slice(0, 4)}`,
        from,
        to,
        issuedAt: clock.now(),
        rows: rows.map((r, i) => {
          const late =
            r.due_at &&
            (r.result_at ?? clock.now()).getTime() > r.due_at.getTime() &&
            r.status !== 'withdrawn';
          return {
            index: i + 1,
            dossierCode: r.code,
            procedureName: r.procedure_name,
            applicantName: r.applicant_name,
            addressPhone: `${r.applicant.address}; ${r.applicant.phone}`,
            processingBody: processingNames.get(r.processing_unit_code) ?? r.processing_unit_code,
            receivedAt: r.received_at ?? r.filed_at,
            dueAt: r.due_at,
            returnedAt: r.returned_at,
            note: `${VIETNAMESE_STATUS[r.status]}${late ? '; quá hạn' : ''}${r.rescheduled ? '; đã hẹn lại' : ''}`,
          };
        }),
      };
    },

    async setWorkflow(
      actor: Principal,
      procedureCode: string,
      definition: WorkflowDefinition,
      info: RequestInfo,
    ) {
      const province = await getUnit(deps.provinceCode);
      await identity.assertCan(actor, 'procedures.manage', province, info);
      await deps.procedures.getProcedure(procedureCode);
      const problems = workflowProblems(definition);
      if (problems.length > 0) throw new AppError('WORKFLOW_INVALID', { problems: problems.join(' ') });
      await db.transaction(async (tx) => {
        await repo.upsertWorkflow(tx, procedureCode, definition, clock.now(), actor.userId);
        await appendAudit(tx, clock, {
          actorId: actor.userId,
          actorName: actor.username,
          unitCode: province.code,
          action: 'dossier.workflow.changed',
          targetType: 'procedure',
          targetId: procedureCode,
          details: { definition },
          requestId: info.requestId,
        });
      });
      return definition;
    },

    /**
     * The deadline job (every few minutes, on one app server at a time): marks open dossiers due soon (at most one
     * working day left, DOMAIN §3.3) and overdue. Returns the dossiers that changed state.
     */
    async markDeadlines() {
      const now = clock.now();
      const calendar = prepareCalendar(await deps.calendar.getCurrent(deps.provinceCode));
      const changed = await repo.markDeadlineStates(db, now, dueSoonBefore(now, calendar));
      return {
        changed: changed.length,
        overdue: changed.filter((c) => c.deadline_state === 'overdue').length,
        dueSoon: changed.filter((c) => c.deadline_state === 'due_soon').length,
      };
    },

    /** Forgets client transaction ids older than the retry window (hourly job); returns how many went. */
    async pruneCommands(): Promise<number> {
      const before = new Date(clock.now().getTime() - COMMAND_RETENTION_DAYS * 86_400_000);
      let pruned = 0;
      for (;;) {
        const n = await repo.deleteCommandsBefore(db, before, 10_000);
        pruned += n;
        if (n < 10_000) return pruned;
      }
    },

    /** The public tracking view: reached with the code and the secret printed on the receipt; no personal data. */
    async track(code: string, secret: string) {
      const owner = unitOfDossierCode(code);
      if (!owner) throw new AppError('DOSSIER_NOT_FOUND', { code });
      // Two statements at once, the dossier with its log, rating and results, and its signed documents: the most
      // asked-for page of the platform. Nothing read is shown unless the secret matches.
      const [row, documents] = await Promise.all([
        repo.findTrackingView(db, owner, code),
        deps.signing?.listForDossier(owner, code) ?? [],
      ]);
      if (!row || !trackingSecretMatches(row.tracking_secret, secret))
        throw new AppError('DOSSIER_NOT_FOUND', { code });
      const actions = row.actions;
      const supplement = [...actions].reverse().find((a) => a.action === 'request_supplement');
      const results =
        row.status === 'result_ready' || row.status === 'returned'
          ? row.results
              .filter((f) => isReleased(f, documents))
              .map((f) => ({ id: f.id, fileName: f.file_name, sha256: f.sha256 }))
          : [];
      const signedReceipt = documents.find((d) => d.kind === 'receipt' && d.status === 'signed');
      const reschedule = actions.find((a) => a.action === 'reschedule');
      return {
        code: row.code,
        procedureName: row.procedure_name,
        status: row.status,
        statusLabel: VIETNAMESE_STATUS[row.status],
        receivedAt: iso(row.received_at),
        dueAt: iso(row.due_at),
        returnedAt: iso(row.returned_at),
        supplementItems:
          row.status === 'awaiting_supplement'
            ? ((supplement?.details.items as string[] | undefined) ?? [])
            : [],
        completionItems:
          row.status === 'returned_for_completion'
            ? (([...actions]
                .reverse()
                .find((a) => a.action === 'return_online' || a.action === 'request_completion')?.details
                .reasons as string[] | undefined) ?? [])
            : [],
        apology: reschedule
          ? {
              reason: ((reschedule.details.reasons as string[] | undefined) ?? []).join('; '),
              newDueAt: String(reschedule.details.newDueAt),
            }
          : null,
        results,
        /** The signed Mẫu 01, for its verification link. */
        receiptSha256: signedReceipt?.currentSha256 ?? null,
        canRate: row.status === 'returned' && !row.rating,
        rating: row.rating,
        steps: actions.map((a) => ({
          at: a.at.toISOString(),
          status: a.status_after,
          label: VIETNAMESE_STATUS[a.status_after],
        })),
      };
    },
  };
}

export type DossiersService = ReturnType<typeof createDossiersService>;
export { VIETNAMESE_STATUS };
