// Filing online: a citizen (signed in, or a guest whose phone or email a one-time code verified) fills a draft page by
// page — the centre, who is filing, the e-form's questions, the components — checks a summary and submits it. Every
// page is saved as it is sent, so a dropped 3G connection or a failed upload loses nothing; a submit that is retried
// (after a timeout, a crash) answers with the dossier the first one made.
import crypto from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { IdentityService, RequestInfo } from '../identity/index.ts';
import type { NotificationsService } from '../notifications/index.ts';
import type { ProceduresService } from '../procedures/index.ts';
import { eFormPages, readPage, unansweredPages, type Answers, type EFormPage } from './eform.ts';
import * as repo from './dossiers.repo.ts';
import type { ApplicantData, DossiersService } from './dossiers.service.ts';
import { procedureComponents } from './dossiers.service.ts';

/** Whose draft: a citizen account, or a verified contact ("sms:0912345678", "email:ten@gmail.com"). */
export type FilingOwner = { userId: string; name: string } | { contact: string };

export interface DraftAnswers {
  centre?: string;
  applicant?: ApplicantData;
  eform?: Answers;
}

function ownerColumns(owner: FilingOwner) {
  return 'userId' in owner
    ? { owner_user_id: owner.userId, owner_contact: null }
    : { owner_user_id: null, owner_contact: owner.contact };
}

function owns(owner: FilingOwner, draft: repo.DraftRow): boolean {
  return 'userId' in owner ? draft.owner_user_id === owner.userId : draft.owner_contact === owner.contact;
}

/** Guests verify a Vietnamese mobile number or an email address; anything else is refused with a reason. */
export function contactOf(raw: string): { channel: 'sms' | 'email'; destination: string } | null {
  const value = raw.trim();
  const phone = value.replace(/[\s.-]/g, '');
  if (/^(0|\+84)\d{9}$/.test(phone)) return { channel: 'sms', destination: phone.replace(/^\+84/, '0') };
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return { channel: 'email', destination: value.toLowerCase() };
  return null;
}

export function createOnlineFiling(deps: {
  db: Db;
  clock: Clock;
  adminUnits: AdminUnitsService;
  identity: IdentityService;
  procedures: ProceduresService;
  dossiers: DossiersService;
  notifications: NotificationsService;
  provinceCode: string;
}) {
  const { db, clock } = deps;

  async function loadDraft(owner: FilingOwner, id: string, forUpdate = false) {
    const draft = /^[0-9a-f-]{36}$/.test(id)
      ? await repo.findDraft(db, deps.provinceCode, id, { forUpdate })
      : undefined;
    if (!draft || !owns(owner, draft)) throw new AppError('DRAFT_NOT_FOUND', { id });
    return draft;
  }

  async function procedureOf(draft: repo.DraftRow) {
    return deps.procedures.getProcedure(draft.procedure_code, draft.procedure_version);
  }

  return {
    /** Sends a one-time code to a guest's phone or email; the message goes through the outbox in the same commit. */
    async sendCode(
      rawContact: string,
      info: RequestInfo,
    ): Promise<{ challengeId: string; contact: string; channel: 'sms' | 'email' }> {
      const contact = contactOf(rawContact);
      if (!contact)
        throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'contact', key: 'filing.v.contact' }] });
      const challenge = await db.transaction(async (tx) => {
        const created = await deps.identity.createOneTimeCode(tx, {
          ...contact,
          purpose: 'online_filing',
          requestedIp: info.ip,
        });
        await deps.notifications.enqueue(tx, [
          {
            channel: contact.channel,
            to: contact.destination,
            template: 'one_time_code',
            params: { code: created.code, minutes: String(created.minutes) },
          },
        ]);
        return created;
      });
      return {
        challengeId: challenge.id,
        contact: `${contact.channel}:${contact.destination}`,
        channel: contact.channel,
      };
    },

    async verifyCode(challengeId: string, code: string): Promise<string> {
      const verified = await deps.identity.verifyOneTimeCode(challengeId, code);
      return `${verified.channel}:${verified.destination}`;
    },

    async startDraft(owner: FilingOwner, procedureCode: string): Promise<string> {
      const procedure = await deps.procedures.getProcedure(procedureCode);
      if (procedure.withdrawnAt)
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ field: 'procedureCode', key: 'dossier.v.procedureWithdrawn' }],
        });
      const id = crypto.randomUUID();
      const answers: DraftAnswers = {};
      if ('contact' in owner && owner.contact.startsWith('sms:'))
        answers.applicant = {
          kind: 'person',
          name: '',
          idNumber: '',
          address: '',
          phone: owner.contact.slice(4),
          email: '',
        };
      if ('contact' in owner && owner.contact.startsWith('email:'))
        answers.applicant = {
          kind: 'person',
          name: '',
          idNumber: '',
          address: '',
          phone: '',
          email: owner.contact.slice(6),
        };
      if ('userId' in owner)
        answers.applicant = {
          kind: 'person',
          name: owner.name,
          idNumber: '',
          address: '',
          phone: '',
          email: '',
        };
      await repo.insertDraft(db, {
        unit_code: deps.provinceCode,
        id,
        procedure_code: procedure.code,
        procedure_version: procedure.version,
        ...ownerColumns(owner),
        answers: answers as Record<string, unknown>,
        uploads: {},
        created_at: clock.now(),
      });
      return id;
    },

    async getDraft(owner: FilingOwner, id: string) {
      const draft = await loadDraft(owner, id);
      const procedure = await procedureOf(draft);
      const pages = eFormPages(procedure.record.eForm);
      const answers = draft.answers as DraftAnswers;
      return {
        draft,
        answers,
        procedure,
        pages,
        components: procedureComponents(procedure.record),
        missingPages: unansweredPages(pages, answers.eform ?? {}),
      };
    },

    async saveCentre(owner: FilingOwner, id: string, centre: string) {
      const draft = await loadDraft(owner, id);
      const unit = await deps.adminUnits.getUnit(centre).catch(() => null);
      if (!unit || unit.level !== 'commune' || unit.parentCode !== deps.provinceCode)
        throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'centre', key: 'filing.v.centre' }] });
      const answers = { ...(draft.answers as DraftAnswers), centre: unit.code };
      // Uploads are kept under the centre that will receive them: a change of centre takes them along.
      for (const files of Object.values(draft.uploads))
        for (const f of files)
          if (f.unitCode !== unit.code) {
            await repo.copyUpload(db, f.unitCode, unit.code, f.id);
            f.unitCode = unit.code;
          }
      await repo.updateDraft(
        db,
        deps.provinceCode,
        id,
        { answers: answers as Record<string, unknown>, uploads: draft.uploads },
        clock.now(),
      );
    },

    async saveApplicant(owner: FilingOwner, id: string, applicant: ApplicantData) {
      const draft = await loadDraft(owner, id);
      const answers = { ...(draft.answers as DraftAnswers), applicant };
      await repo.updateDraft(
        db,
        deps.provinceCode,
        id,
        { answers: answers as Record<string, unknown> },
        clock.now(),
      );
    },

    /** Saves one e-form page; the answers kept, or the field errors (what was typed is not lost: it is re-shown). */
    async savePage(owner: FilingOwner, id: string, page: EFormPage, raw: Record<string, string | undefined>) {
      const draft = await loadDraft(owner, id);
      const { answers, errors } = readPage(page, raw);
      if (errors.length > 0) return { errors };
      const current = draft.answers as DraftAnswers;
      const eform = { ...(current.eform ?? {}) };
      for (const f of page.fields) delete eform[f.name];
      Object.assign(eform, answers);
      await repo.updateDraft(
        db,
        deps.provinceCode,
        id,
        { answers: { ...current, eform } as Record<string, unknown> },
        clock.now(),
      );
      return { errors: [] };
    },

    /** One file of one component: stored and recorded at once, so a later failure never loses it. */
    async addUpload(
      owner: FilingOwner,
      id: string,
      position: number,
      file: { fileName: string; bytes: Buffer },
    ) {
      const draft = await loadDraft(owner, id);
      const centre = (draft.answers as DraftAnswers).centre ?? deps.provinceCode;
      const stored = await deps.dossiers.storeFilingUpload(
        { userId: 'userId' in owner ? owner.userId : null },
        centre,
        file,
      );
      await db.transaction(async (tx) => {
        const locked = (await repo.findDraft(tx, deps.provinceCode, id, { forUpdate: true }))!;
        const uploads = { ...locked.uploads };
        uploads[String(position)] = [
          ...(uploads[String(position)] ?? []),
          { id: stored.id, fileName: stored.fileName, unitCode: centre },
        ];
        await repo.updateDraft(tx, deps.provinceCode, id, { uploads }, clock.now());
      });
      return stored;
    },

    async removeUpload(owner: FilingOwner, id: string, position: number, uploadId: string) {
      await db.transaction(async (tx) => {
        const draft = await repo.findDraft(tx, deps.provinceCode, id, { forUpdate: true });
        if (!draft || !owns(owner, draft)) throw new AppError('DRAFT_NOT_FOUND', { id });
        const uploads = { ...draft.uploads };
        uploads[String(position)] = (uploads[String(position)] ?? []).filter((u) => u.id !== uploadId);
        await repo.updateDraft(tx, deps.provinceCode, id, { uploads }, clock.now());
      });
    },

    /**
     * Submits the draft: a dossier `submitted` at the chosen centre. The draft's id is the command's transaction id,
     * so a second submit (double tap, retry after a crash) answers with the first dossier and makes no other.
     */
    async submit(owner: FilingOwner, id: string, info: RequestInfo) {
      const { draft, answers, procedure, pages, components } = await this.getDraft(owner, id);
      if (draft.submitted_code) return deps.dossiers.trackingOf(draft.submitted_code);
      const problems: { field: string; key: string; params?: Record<string, string> }[] = [];
      if (!answers.centre) problems.push({ field: 'centre', key: 'filing.v.centre' });
      if (!answers.applicant?.name) problems.push({ field: 'applicant', key: 'filing.v.applicant' });
      for (const page of unansweredPages(pages, answers.eform ?? {}))
        problems.push({ field: `page.${page.slug}`, key: 'filing.v.page' });
      for (const c of components)
        if (c.isRequired && (draft.uploads[String(c.position)] ?? []).length === 0)
          problems.push({
            field: `file-${c.position}`,
            key: 'filing.v.component',
            params: { name: c.name },
          } as never);
      if (problems.length > 0) throw new AppError('VALIDATION_FAILED', { fields: problems });
      const eform = answers.eform ?? {};
      const summary = typeof eform.requestSummary === 'string' ? eform.requestSummary : procedure.record.name;
      const dossier = await deps.dossiers.submitOnline(
        {
          userId: 'userId' in owner ? owner.userId : null,
          contact: 'contact' in owner ? owner.contact : null,
          name: answers.applicant!.name,
        },
        answers.centre!,
        {
          procedureCode: procedure.code,
          channel: 'online',
          decision: 'receive',
          applicant: answers.applicant!,
          representative: null,
          requestSummary: summary,
          setsCount: 1,
          returnMethod: 'online',
          processingUnitCode: answers.centre!,
          components: components.map((c) => {
            const files = draft.uploads[String(c.position)] ?? [];
            return {
              position: c.position,
              isProvided: files.length > 0,
              digitisation: 'electronic' as const,
              uploadIds: files.map((f) => f.id),
            };
          }),
          reasons: [],
          manualDueAt: null,
        },
        eform,
        info,
        `draft:${draft.id}`,
      );
      await repo.updateDraft(db, deps.provinceCode, id, { submittedCode: dossier.code }, clock.now());
      return deps.dossiers.trackingOf(dossier.code);
    },

    /** The citizen's drafts and dossiers, newest first. */
    async listMine(owner: FilingOwner) {
      const key = 'userId' in owner ? { userId: owner.userId } : { contact: owner.contact };
      const [drafts, dossiers] = await Promise.all([
        repo.listDraftsOf(db, key),
        repo.listDossiersOf(db, key),
      ]);
      const names = new Map<string, string>();
      for (const d of drafts)
        if (!names.has(d.procedure_code)) names.set(d.procedure_code, (await procedureOf(d)).record.name);
      return {
        drafts: drafts.map((d) => ({
          id: d.id,
          procedureName: names.get(d.procedure_code) ?? d.procedure_code,
          updatedAt: d.updated_at,
        })),
        dossiers: dossiers.map((d) => ({
          code: d.code,
          procedureName: d.procedure_name,
          status: d.status,
          filedAt: d.filed_at,
          trackingPath: `/tra-cuu-ho-so/${d.code}?ma=${d.tracking_secret}`,
        })),
      };
    },
  };
}

export type OnlineFiling = ReturnType<typeof createOnlineFiling>;
