// Phản ánh, kiến nghị (PAKN): citizens send feedback or a complaint to a commune; officers refuse it with a reason,
// or answer it, and publish the answer. Each step has the deadline QĐ 766 indicator 5.2 measures, counted in working
// days on the province's calendar from receipt (DOMAIN §7): refuse ≤ 2, ask for more ≤ 5, answer ≤ 15, publish ≤ 2
// after the answer. Whether each step was on time is kept, so the indicator is computed from the system's own data.
import crypto from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { appendAudit } from '../audit/index.ts';
import { computeDueAt, deadlineState, type CalendarService } from '../calendar/index.ts';
import type { IdentityService, Principal, RequestInfo } from '../identity/index.ts';
import type { ProcessingTimeRule } from '../procedures/index.ts';
import { translator, type MessageKey } from '../../platform/i18n/index.ts';
import * as repo from './feedback.repo.ts';

export type FeedbackKind = 'phan_anh' | 'kien_nghi';
export type FeedbackStatus = 'received' | 'rejected' | 'answered' | 'published';

export interface FeedbackRow {
  unit_code: string;
  id: string;
  number: string;
  kind: FeedbackKind;
  content: string;
  sender_name: string;
  sender_contact: string;
  dossier_code: string | null;
  status: FeedbackStatus;
  received_at: Date;
  reject_by: Date;
  supplement_by: Date;
  answer_by: Date;
  publish_by: Date | null;
  rejected_at: Date | null;
  rejection_reason: string | null;
  answered_at: Date | null;
  answer: string | null;
  published_at: Date | null;
}

/** QĐ 766 indicator 5.2: the working days each step may take. */
export const FEEDBACK_DEADLINES = { reject: 2, supplement: 5, answer: 15, publish: 2 } as const;

function rule(days: number): ProcessingTimeRule {
  return { text: `${days} ngày làm việc`, value: days, unit: 'working_day', parsed: true };
}

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date
    ? value
    : new Date(
        String(value)
          .replace(' ', 'T')
          .replace(/([+-]\d{2})$/, '$1:00'),
      );
}

function present(row: Record<string, unknown>): FeedbackRow {
  const r = row as unknown as FeedbackRow;
  for (const key of [
    'received_at',
    'reject_by',
    'supplement_by',
    'answer_by',
    'publish_by',
    'rejected_at',
    'answered_at',
    'published_at',
  ] as const)
    (r as unknown as Record<string, Date | null>)[key] = toDate(row[key]);
  return r;
}

/** Texts put into error details are Vietnamese whatever the reader's language. */
const vi = translator('vi');

function invalid(field: string, key: string): never {
  throw new AppError('VALIDATION_FAILED', { fields: [{ field, key }] });
}

export function createFeedbackService(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  identity: IdentityService;
  calendar: CalendarService;
  provinceCode: string;
}) {
  const { db, clock } = deps;

  async function dueAfter(unitCode: string, at: Date, days: number): Promise<Date> {
    const calendar = await deps.calendar.getCurrentFor(deps.provinceCode, unitCode);
    const result = computeDueAt({ receivedAt: at, rule: rule(days), calendar });
    if (!result.ok) throw new Error(result.reason);
    return result.dueAt;
  }

  async function load(unitCode: string, id: string): Promise<FeedbackRow> {
    const row = /^[0-9a-f-]{36}$/.test(id) ? await repo.findItem(db, unitCode, id) : undefined;
    if (!row) throw new AppError('NOT_FOUND');
    return present(row);
  }

  async function officerStep(
    actor: Principal,
    unitCode: string,
    id: string,
    info: RequestInfo,
    step: 'reject' | 'answer' | 'publish',
    text: string,
  ) {
    const unit = await deps.adminUnits.getUnit(unitCode);
    await deps.identity.assertCan(actor, 'dossiers.view', unit, info);
    const trimmed = text.trim();
    if (step !== 'publish' && trimmed.length < 5)
      invalid(
        step === 'reject' ? 'reason' : 'answer',
        step === 'reject' ? 'feedback.v.reason' : 'feedback.v.answer',
      );
    const now = clock.now();
    const publishBy = step === 'answer' ? await dueAfter(unitCode, now, FEEDBACK_DEADLINES.publish) : null;
    await db.transaction(async (tx) => {
      const status = await repo.lockStatus(tx, unitCode, id);
      if (!status) throw new AppError('NOT_FOUND');
      const allowed = step === 'publish' ? status === 'answered' : status === 'received';
      if (!allowed)
        throw new AppError('FEEDBACK_STEP_NOT_ALLOWED', {
          status: vi(`feedback.status.${status}` as MessageKey),
        });
      if (step === 'reject') await repo.markRejected(tx, unitCode, id, now, trimmed);
      if (step === 'answer')
        await repo.markAnswered(tx, unitCode, id, {
          at: now,
          answer: trimmed,
          by: actor.userId,
          publishBy: publishBy!,
        });
      if (step === 'publish') await repo.markPublished(tx, unitCode, id, now);
      await appendAudit(tx, clock, {
        actorId: actor.userId,
        actorName: actor.username,
        unitCode,
        action: `feedback.${step}`,
        targetType: 'feedback',
        targetId: id,
        details: step === 'publish' ? {} : { text: trimmed },
        requestId: info.requestId,
      });
    });
  }

  return {
    /** A citizen's PAKN to a commune; its deadlines are fixed now, on the calendar in force. */
    async submit(
      input: {
        unitCode: string;
        kind: FeedbackKind;
        content: string;
        senderName: string;
        senderContact: string;
        dossierCode: string | null;
      },
      info: RequestInfo,
    ): Promise<FeedbackRow> {
      const unit = await deps.adminUnits.getUnit(input.unitCode).catch(() => null);
      const problems: { field: string; key: string }[] = [];
      if (!unit || unit.level !== 'commune' || unit.parentCode !== deps.provinceCode)
        problems.push({ field: 'unitCode', key: 'feedback.v.unit' });
      if (input.content.trim().length < 10 || input.content.length > 5000)
        problems.push({ field: 'content', key: 'feedback.v.content' });
      if (input.senderName.trim().length < 2 || input.senderName.length > 200)
        problems.push({ field: 'senderName', key: 'dossier.v.name' });
      const contact = input.senderContact.replace(/[\s.]/g, '');
      if (!/^(0|\+84)\d{9}$/.test(contact) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact))
        problems.push({ field: 'senderContact', key: 'filing.v.contact' });
      if (input.dossierCode && !/^\d{5}-\d{6}-\d{4,}$/.test(input.dossierCode))
        problems.push({ field: 'dossierCode', key: 'feedback.v.dossierCode' });
      if (problems.length > 0) throw new AppError('VALIDATION_FAILED', { fields: problems });
      const now = clock.now();
      const [rejectBy, supplementBy, answerBy] = await Promise.all([
        dueAfter(unit!.code, now, FEEDBACK_DEADLINES.reject),
        dueAfter(unit!.code, now, FEEDBACK_DEADLINES.supplement),
        dueAfter(unit!.code, now, FEEDBACK_DEADLINES.answer),
      ]);
      const id = crypto.randomUUID();
      const row = await db.transaction(async (tx) => {
        const sequence = await repo.nextNumber(tx, unit!.code, now.getUTCFullYear());
        const number = `PAKN-${unit!.code}-${now.getUTCFullYear()}-${String(sequence).padStart(4, '0')}`;
        const inserted = await repo.insertItem(tx, {
          unitCode: unit!.code,
          id,
          number,
          kind: input.kind,
          content: input.content.trim(),
          senderName: input.senderName.trim(),
          senderContact: contact,
          dossierCode: input.dossierCode || null,
          receivedAt: now,
          rejectBy,
          supplementBy,
          answerBy,
        });
        await appendAudit(tx, clock, {
          actorId: null,
          actorName: 'công dân',
          unitCode: unit!.code,
          action: 'feedback.received',
          targetType: 'feedback',
          targetId: id,
          details: { number, kind: input.kind },
          requestId: info.requestId,
        });
        return present(inserted);
      });
      return row;
    },

    /** A unit's PAKN for its officers: open ones first by their answer deadline, with the deadline state now. */
    async listForUnit(actor: Principal, unitCode: string, info: RequestInfo) {
      const unit = await deps.adminUnits.getUnit(unitCode);
      await deps.identity.assertCan(actor, 'dossiers.view', unit, info);
      const rows = await repo.listForUnit(db, unit.code);
      const calendar = await deps.calendar.getCurrentFor(deps.provinceCode, unit.code);
      const now = clock.now();
      return rows.map((raw) => {
        const row = present(raw);
        return {
          ...row,
          state: row.status === 'received' ? deadlineState(row.answer_by, now, calendar).state : null,
          onTime: {
            reject: row.rejected_at ? row.rejected_at <= row.reject_by : null,
            answer: row.answered_at ? row.answered_at <= row.answer_by : null,
            publish: row.published_at && row.publish_by ? row.published_at <= row.publish_by : null,
          },
        };
      });
    },

    async get(unitCode: string, id: string) {
      return load(unitCode, id);
    },

    reject: (actor: Principal, unitCode: string, id: string, reason: string, info: RequestInfo) =>
      officerStep(actor, unitCode, id, info, 'reject', reason),
    answer: (actor: Principal, unitCode: string, id: string, answer: string, info: RequestInfo) =>
      officerStep(actor, unitCode, id, info, 'answer', answer),
    publish: (actor: Principal, unitCode: string, id: string, info: RequestInfo) =>
      officerStep(actor, unitCode, id, info, 'publish', ''),

    /** Published answers, newest first: public, without the sender's name or contact. */
    async listPublished(limit = 50) {
      const rows = await repo.listPublished(db, limit);
      return rows.map((row) => {
        return {
          unitCode: String(row.unit_code),
          number: String(row.number),
          kind: row.kind as FeedbackKind,
          content: String(row.content),
          answer: String(row.answer),
          publishedAt: toDate(row.published_at)!,
        };
      });
    },
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
