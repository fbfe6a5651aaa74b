// The dossiers of one unit, as the service would have written them over the years: filed (counter or online),
// numbered (code by unit and day, register number by unit and year), then taken through the workflow of
// dossier-workflow.ts step by step by the unit's own officers, each step writing what `act` writes (the action,
// its command, the cached columns), until the history ends. What is still open at the end is the work in
// progress of a real centre; everything older has finished, mostly returned.
import {
  computeDueAt,
  computeDueAtWithPauses,
  deadlineState,
  prepareCalendar,
  reschedule,
  type SupplementPause,
  type WorkingCalendarData,
} from '../../src/modules/calendar/index.ts';
import type { PreparedCalendar } from '../../src/modules/calendar/deadlines.ts';
import { SECRET_ALPHABET, formatDossierCode } from '../../src/modules/dossiers/dossier-code.ts';
import {
  ACTION_RULES,
  COMMAND_RETENTION_DAYS,
  DEFAULT_WORKFLOW,
  FINAL_STATUSES,
  nextStatus,
  rolesForAction,
  type AnyAction,
  type DossierStatus,
} from '../../src/modules/dossiers/dossier-workflow.ts';
import type { ProcessingTimeRule } from '../../src/modules/procedures/index.ts';
import { foldText } from '../../src/platform/text.ts';
import type { ChannelName, ScaleProcedure } from './catalogue.ts';
import { NULL, bool, json, jsonString, nullableText, text, time, type CopyTable } from './copy-text.ts';
import { FilingModel, filedAt, isFiledOnline, type Filings, type UnitKind } from './filings.ts';
import {
  addressIn,
  citizenId,
  inSentence,
  mobilePhone,
  organisationName,
  personName,
  taxCode,
  type Place,
} from './people.ts';
import { Random, Weighted } from './random.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, WorkTime, civilDate, localDay } from './work-time.ts';

export interface Person {
  id: string;
  name: string;
}

export interface UnitOfficers {
  desk: Person;
  specialists: Person[];
  leader: Person;
  clerk: Person;
}

export interface ScaleUnit extends Place {
  name: string;
  kind: UnitKind;
  dossiers: number;
  /** The unit's citizens: indexes [from, to) into the citizen arrays (congdan.{index + 1}). */
  citizens: [number, number];
  /** Sequences already used before this run: register numbers by year, dossier codes by day (YYYY-MM-DD). */
  start: { years: Record<string, number>; days: Record<string, number> };
}

export interface Citizens {
  /** Index of the first citizen held (congdan.{offset + 1}). */
  offset: number;
  ids: string[];
  names: string[];
  phones: string[];
  emails: (string | null)[];
}

export interface GenerationInput {
  seed: number;
  startMs: number;
  endMs: number;
  /** Day counters are kept from this date (YYYY-MM-DD) on; the service only ever increments today's. */
  recentFrom: string;
  procedures: ScaleProcedure[];
  /** Each province's calendar for the history (historyCalendar of work-time.ts). */
  calendars: Record<string, WorkingCalendarData>;
  /** Every commune: a transfer goes to another commune of the same province. */
  units: ScaleUnit[];
  officers: Record<string, UnitOfficers>;
  citizens: Citizens;
  /** The one scan every generated file row points at. */
  file: { sha256: string; sizeBytes: number };
}

export interface UnitCounters {
  unitCode: string;
  scope: string;
  value: number;
}

/** Rows are handed over as COPY text lines, table by table. */
export interface RowSink {
  row(table: CopyTable, line: string): void;
}

export interface UnitPlan {
  filings: Filings;
  /** Register number (of the filing's year) and day sequence of each filing. */
  numbers: Uint32Array;
  sequences: Uint32Array;
  counters: UnitCounters[];
  /** Continues from the filings' draws into the dossiers'. */
  random: Random;
}

export interface Tally {
  dossiers: number;
  byStatus: Record<string, number>;
  late: number;
  finishedWithResult: number;
}

// --- texts officers and applicants write ----------------------------------------------------------------------

/** RETURN_PLACE of dossiers.service.ts: where the result is returned, as the service writes it. */
const RETURN_ONLINE = 'Trực tuyến, trên Cổng Dịch vụ công quốc gia và trang tra cứu hồ sơ';
const RETURN_POSTAL = 'Qua dịch vụ bưu chính công ích, tại địa chỉ của người nộp hồ sơ';

const COMPLETION_ITEMS = [
  'Tờ khai chưa ghi đầy đủ thông tin theo mẫu',
  'Thiếu bản sao giấy tờ tùy thân của người yêu cầu',
  'Thiếu giấy tờ chứng minh nơi cư trú',
  'Bản chụp giấy tờ không rõ nét, đề nghị nộp lại bản rõ',
];
const INTAKE_REFUSALS = [
  'Yêu cầu không thuộc thẩm quyền giải quyết của Ủy ban nhân dân cấp xã',
  'Giấy tờ yêu cầu chứng thực có nội dung trái pháp luật',
];
const ONLINE_RETURNS = [
  'Tệp đính kèm không đọc được, đề nghị tải lên bản quét rõ nét',
  'Thông tin người nộp chưa khớp với Cơ sở dữ liệu quốc gia về dân cư',
  'Chưa đính kèm đủ thành phần hồ sơ theo quy định',
];
const SUPPLEMENT_ITEMS = [
  'Bản sao giấy chứng nhận quyền sử dụng đất',
  'Văn bản ủy quyền có chứng thực',
  'Giấy tờ chứng minh quan hệ nhân thân',
  'Trích lục hộ tịch bản chính',
  'Xác nhận của thôn, tổ dân phố nơi cư trú',
  'Chữ ký đầy đủ của các bên trên tờ khai',
];
const PROCESS_NOTES = [
  'Đã kiểm tra, đối chiếu thông tin với Cơ sở dữ liệu quốc gia về dân cư',
  'Đã xác minh thực tế tại thôn',
  'Đã dự thảo kết quả giải quyết',
  'Đã lấy ý kiến cơ quan chuyên môn liên quan',
];
const REJECT_REASONS = ['Dự thảo kết quả còn sai sót thông tin, đề nghị chuyên viên rà soát lại'];
const REFUSE_REASONS = [
  'Hồ sơ không đủ điều kiện giải quyết theo quy định',
  'Kết quả xác minh không phù hợp với nội dung đề nghị',
];
const STOP_REASONS = ['Người yêu cầu có văn bản đề nghị dừng giải quyết hồ sơ'];
const WITHDRAW_REASONS = ['Người nộp hồ sơ có đơn đề nghị rút hồ sơ'];
const ABANDON_REASONS = ['Người nộp hồ sơ không bổ sung hồ sơ và đề nghị rút hồ sơ'];
const RESCHEDULE_REASONS = [
  'Cần xác minh thêm thông tin tại cơ quan liên quan',
  'Chờ kết quả phối hợp của cơ quan chuyên môn',
];
const RATING_COMMENTS: Record<string, string[]> = {
  satisfied: ['Cán bộ hướng dẫn tận tình', 'Giải quyết nhanh, đúng hẹn', 'Rất hài lòng', 'Thủ tục đơn giản'],
  neutral: ['Phải chờ hơi lâu', 'Bình thường'],
  dissatisfied: ['Trả kết quả chậm so với giấy hẹn', 'Phải đi lại nhiều lần'],
};

// --- the cached columns, as the service keeps them -------------------------------------------------------------

interface Actor {
  id: string | null;
  /** The name as COPY text (escaped once). */
  nameText: string;
  role: string;
  unit: string;
}

/** A unit's officers as the actors of its steps, built once per unit. */
interface UnitActors {
  desk: Actor;
  leader: Actor;
  clerk: Actor;
  specialists: Actor[];
}

/** What of a procedure goes into every dossier of it, encoded once. */
interface EncodedProcedure {
  nameText: string;
  /** Per component: its position column with a trailing tab (name, counts and required are the version's). */
  componentColumns: string[];
  feesText: Record<ChannelName, string>;
  /** The rule as JSON (escaped for COPY), spliced into every deadline computed on it. */
  ruleJson: Record<ChannelName, string | null>;
}

interface Cached {
  status: DossierStatus;
  processingUnit: string;
  assignedTo: Person | null;
  receivedAt: number | null;
  dueAt: number | null;
  originalDueAt: number | null;
  /** The deadline jsonb as COPY text. */
  deadline: string | null;
  deadlineState: string | null;
  deadlineCheckedAt: number | null;
  supplementRequests: number;
  rescheduled: boolean;
  resultAt: number | null;
  finishedAt: number | null;
  returnedAt: number | null;
  version: number;
  updatedAt: number;
}

/** Roles that may take each action under the default workflow (the procedures have no workflow of their own). */
const ALLOWED_ROLES = new Map<string, Set<string>>(
  (Object.keys(ACTION_RULES) as AnyAction[]).map((a) => [a, new Set(rolesForAction(a, DEFAULT_WORKFLOW))]),
);

/** Thrown (one instance, no stack to build) when a step would come after the end of the history. */
class HistoryEnded extends Error {}
const HISTORY_ENDED = new HistoryEnded('Lịch sử đã kết thúc trước bước này.');

/** One dossier as it is taken through its steps; a step after the end of the history is not taken. */
class DossierRun {
  readonly actions: string[] = [];
  readonly commands: string[] = [];
  state!: Cached;
  private status: DossierStatus | null = null;
  private previous: DossierStatus | null = null;
  private last = 0;
  pauses: SupplementPause[] = [];

  constructor(
    private readonly g: UnitGenerator,
    readonly unitCode: string,
    readonly code: string,
  ) {}

  /** Appends the action (and its command) at `at`, or ends the dossier's history when `at` is after its end. */
  take(
    action: AnyAction,
    at: number,
    actor: Actor,
    details: Record<string, unknown>,
    change?: (state: Cached, at: number) => void,
  ): number {
    // Two steps never share a moment: a step planned at or before the previous one follows it within a minute.
    at = Math.floor(at);
    if (at <= this.last) at = Math.floor(this.g.shortlyAfter(this.last));
    if (at > this.g.endMs) throw HISTORY_ENDED;
    const rule = ACTION_RULES[action];
    if (!rule.from.includes(this.status))
      throw new Error(`Bộ sinh dữ liệu: ${action} không theo sau ${this.status}`);
    if (!ALLOWED_ROLES.get(action)!.has(actor.role))
      throw new Error(`Bộ sinh dữ liệu: vai trò ${actor.role} không được ${action}`);
    if (rule.to === 'awaiting_supplement') this.previous = this.status;
    const status = nextStatus(this.status, action, this.previous);
    this.status = status;
    const seq = this.actions.length + 1;
    const transactionId = action === 'submit_online' ? `draft:${this.g.random.uuid()}` : this.g.random.uuid();
    if (seq === 1) this.state = this.g.initialState(status, at);
    else this.state.status = status;
    change?.(this.state, at);
    this.state.version = seq;
    this.state.updatedAt = at;
    this.last = at;
    const u = this.unitCode;
    this.actions.push(
      `${u}\t${this.code}\t${seq}\t${action}\t${status}\t${time(at)}\t${actor.id ?? NULL}\t${actor.nameText}\t` +
        `${actor.role}\t${actor.unit}\t${transactionId}\t${json(details)}\n`,
    );
    // Transaction ids are kept for the retry window only, as the app's hourly job keeps them.
    if (at >= this.g.commandsFromMs)
      this.commands.push(
        `${u}\t${transactionId}\t${this.code}\t${action}\t${actor.id ?? NULL}\t${time(at)}\n`,
      );
    return at;
  }

  get lastAt(): number {
    return this.last;
  }
}

interface DeadlineResult {
  dueAt: number;
  /** The deadline jsonb as COPY text. */
  deadline: string;
  rule: ProcessingTimeRule | null;
}

/**
 * The deadline column as the service writes it, { explanation, inputs }, with the rule's JSON (the same for every
 * dossier of the procedure) spliced in instead of serialised again. jsonb keeps keys in its own order, so the
 * stored value is the one JSON.stringify of the whole object would give.
 */
function encodeDeadline(explanation: string, inputs: object, ruleJson: string): string {
  const rest = json({ ...inputs, rule: undefined });
  return `{"explanation":${json(explanation)},"inputs":${rest.slice(0, -1)},"rule":${ruleJson}}}`;
}

export class UnitGenerator {
  random!: Random;
  readonly endMs: number;
  /** Commands before this are past the retry window (COMMAND_RETENTION_DAYS): not written. */
  readonly commandsFromMs: number;
  private readonly procedureTables = new Map<string, Weighted<ScaleProcedure>>();
  private readonly provinces = new Map<
    string,
    { work: WorkTime; prepared: PreparedCalendar; filings: FilingModel; units: ScaleUnit[] }
  >();
  private unit!: ScaleUnit;
  private wantsReschedule = false;
  private readonly encoded = new Map<ScaleProcedure, EncodedProcedure>();
  private readonly actors = new Map<string, UnitActors>();
  private readonly dayStrings = new Map<number, string>();
  private unitActors!: UnitActors;
  private officers!: UnitOfficers;
  private province!: { work: WorkTime; prepared: PreparedCalendar; filings: FilingModel; units: ScaleUnit[] };
  readonly tally: Tally = { dossiers: 0, byStatus: {}, late: 0, finishedWithResult: 0 };

  constructor(private readonly input: GenerationInput) {
    this.endMs = input.endMs;
    this.commandsFromMs = input.endMs - COMMAND_RETENTION_DAYS * DAY_MS;
    const all = input.procedures;
    this.procedureTables.set(
      'in_person',
      new Weighted(
        all,
        all.map((p) => p.weight),
      ),
    );
    const online = all.filter((p) => p.acceptsOnline);
    this.procedureTables.set(
      'online',
      new Weighted(
        online,
        online.map((p) => p.weight),
      ),
    );
    const postal = all.filter((p) => p.acceptsPostal);
    this.procedureTables.set(
      'postal',
      new Weighted(
        postal,
        postal.map((p) => p.weight),
      ),
    );
    const channels: ChannelName[] = ['in_person', 'online', 'postal'];
    for (const p of all)
      this.encoded.set(p, {
        nameText: text(p.name),
        componentColumns: p.components.map((c) => `${c.position}\t`),
        feesText: Object.fromEntries(channels.map((c) => [c, text(p.terms[c].feesJson)])) as Record<
          ChannelName,
          string
        >,
        ruleJson: Object.fromEntries(
          channels.map((c) => [c, p.terms[c].rule ? json(p.terms[c].rule) : null]),
        ) as Record<ChannelName, string | null>,
      });
  }

  /** The officers of a unit as actors (their names escaped once). */
  private actorsOf(unitCode: string): UnitActors {
    let actors = this.actors.get(unitCode);
    if (!actors) {
      const officers = this.input.officers[unitCode];
      if (!officers) throw new Error(`Xã ${unitCode} chưa có cán bộ.`);
      const actor = (person: Person, role: string): Actor => ({
        id: person.id,
        nameText: text(person.name),
        role,
        unit: unitCode,
      });
      actors = {
        desk: actor(officers.desk, 'desk_officer'),
        leader: actor(officers.leader, 'leader'),
        clerk: actor(officers.clerk, 'records_clerk'),
        specialists: officers.specialists.map((p) => actor(p, 'specialist')),
      };
      this.actors.set(unitCode, actors);
    }
    return actors;
  }

  /** YYYY-MM-DD of a day number (Vietnam time), computed once per day. */
  private dayString(day: number): string {
    let value = this.dayStrings.get(day);
    if (value === undefined) {
      value = civilDate(day);
      this.dayStrings.set(day, value);
    }
    return value;
  }

  private provinceOf(code: string) {
    let province = this.provinces.get(code);
    if (!province) {
      const calendar = this.input.calendars[code];
      if (!calendar) throw new Error(`Tỉnh ${code} chưa có lịch làm việc.`);
      const work = new WorkTime(
        calendar,
        localDay(this.input.startMs) - 40,
        localDay(this.input.endMs) + 800,
      );
      province = {
        work,
        prepared: prepareCalendar(calendar),
        filings: new FilingModel(work, this.input.startMs, this.input.endMs, this.input.seed),
        units: this.input.units.filter((u) => u.provinceCode === code),
      };
      this.provinces.set(code, province);
    }
    return province;
  }

  // --- numbering ---------------------------------------------------------------------------------------------

  /**
   * The unit's filings in time order, numbered after the sequences already used: the codes of each day and the
   * register numbers of each year. Returns the counters the dossiers reach, to be reserved before loading.
   */
  plan(unit: ScaleUnit): UnitPlan {
    const startText = JSON.stringify(unit.start);
    const random = new Random(`${this.input.seed}:${unit.code}:${startText}`);
    const filings = this.provinceOf(unit.provinceCode).filings.filings(random, unit.kind, unit.dossiers);
    const years: Record<string, number> = { ...unit.start.years };
    const days: Record<string, number> = { ...unit.start.days };
    const touchedYears = new Set<string>();
    const touchedDays = new Set<string>();
    const numbers = new Uint32Array(filings.length);
    const sequences = new Uint32Array(filings.length);
    for (let i = 0; i < filings.length; i++) {
      const day = this.dayString(localDay(filedAt(filings, i)));
      const year = day.slice(0, 4);
      sequences[i] = days[day] = (days[day] ?? 0) + 1;
      numbers[i] = years[year] = (years[year] ?? 0) + 1;
      touchedYears.add(year);
      if (day >= this.input.recentFrom) touchedDays.add(day);
    }
    const counters = [
      ...[...touchedYears].map((scope) => ({ unitCode: unit.code, scope, value: years[scope]! })),
      ...[...touchedDays].map((scope) => ({ unitCode: unit.code, scope, value: days[scope]! })),
    ];
    return { filings, numbers, sequences, counters, random };
  }

  // --- one unit ------------------------------------------------------------------------------------------------

  /** The unit's dossiers, one at a time: the caller may pause between them (to wait for the database). */
  *generate(unit: ScaleUnit, plan: UnitPlan, sink: RowSink): Generator<void> {
    this.unit = unit;
    this.random = plan.random;
    this.province = this.provinceOf(unit.provinceCode);
    const officers = this.input.officers[unit.code];
    if (!officers) throw new Error(`Xã ${unit.code} chưa có cán bộ.`);
    this.officers = officers;
    this.unitActors = this.actorsOf(unit.code);
    for (let i = 0; i < plan.filings.length; i++) {
      this.dossier(
        filedAt(plan.filings, i),
        isFiledOnline(plan.filings, i),
        plan.sequences[i]!,
        plan.numbers[i]!,
        sink,
      );
      yield;
    }
  }

  initialState(status: DossierStatus, at: number): Cached {
    return {
      status,
      processingUnit: this.unit.code,
      assignedTo: null,
      receivedAt: null,
      dueAt: null,
      originalDueAt: null,
      deadline: null,
      deadlineState: null,
      deadlineCheckedAt: null,
      supplementRequests: 0,
      rescheduled: false,
      resultAt: null,
      finishedAt: FINAL_STATUSES.has(status) ? at : null,
      returnedAt: null,
      version: 1,
      updatedAt: at,
    };
  }

  /** A working moment within a minute after `at`. */
  shortlyAfter(at: number): number {
    return this.province.work.addWorking(at, 1000 + this.random.int(60_000));
  }

  private desk(): Actor {
    return this.unitActors.desk;
  }

  /** The due date the service computes at receipt (or the one the desk officer writes when it cannot). */
  private deadlineAt(procedure: ScaleProcedure, channel: ChannelName, receivedAt: number): DeadlineResult {
    const rule = procedure.terms[channel].rule;
    const calendar = this.province.prepared;
    const result = rule ? computeDueAt({ receivedAt: new Date(receivedAt), rule, calendar }) : undefined;
    if (result?.ok) {
      return {
        dueAt: result.dueAt.getTime(),
        deadline: encodeDeadline(
          result.explanation,
          result.inputs,
          this.encoded.get(procedure)!.ruleJson[channel]!,
        ),
        rule,
      };
    }
    const work = this.province.work;
    const start = work.nextWorkingMoment(receivedAt);
    const dueAt = work.endOfWorkingDay(work.addWorkingDays(localDay(start), procedure.manualDays));
    return {
      dueAt,
      deadline: json({
        explanation: `Ngày hẹn trả do cán bộ tiếp nhận ghi: ${result?.ok === false ? result.reason : 'thủ tục chưa có thời hạn.'}`,
        manual: true,
        calendarVersion: calendar.version,
      }),
      rule: null,
    };
  }

  private stateAt(dueAt: number, at: number): string {
    return deadlineState(new Date(dueAt), new Date(at), this.province.prepared).state;
  }

  private dossier(
    filedAt: number,
    isOnline: boolean,
    sequence: number,
    registerNumber: number,
    sink: RowSink,
  ): void {
    const r = this.random;
    const unit = this.unit;
    const work = this.province.work;
    const code = formatDossierCode(unit.code, new Date(filedAt), sequence);
    const channel: ChannelName = isOnline ? 'online' : r.chance(0.02) ? 'postal' : 'in_person';
    const procedure = this.procedureTables.get(channel)!.draw(r);
    const encoded = this.encoded.get(procedure)!;
    const run = new DossierRun(this, unit.code, code);
    const centre = `Trung tâm Phục vụ hành chính công ${inSentence(unit.fullName)}`;

    // The applicant: online, one of the unit's citizens with an account; at the counter, anyone.
    let owner: Person | null = null;
    let applicant: {
      kind: string;
      name: string;
      idNumber: string;
      address: string;
      phone: string;
      email: string;
    };
    let representative: Record<string, string> | null = null;
    const filedYear = Number(new Date(filedAt).toISOString().slice(0, 4));
    if (channel === 'online') {
      const c = this.input.citizens;
      const [from, to] = unit.citizens;
      const index = from + r.int(Math.max(1, to - from));
      const local = index - c.offset;
      owner = { id: c.ids[local]!, name: c.names[local]! };
      const profile = new Random(`citizen:${index + 1}`);
      const isFemale = profile.chance(0.5);
      applicant = {
        kind: 'person',
        name: owner.name,
        idNumber: citizenId(profile, unit.provinceCode, profile.between(1950, 2006), isFemale),
        address: addressIn(profile, unit),
        phone: c.phones[local]!,
        email: c.emails[local] ?? '',
      };
    } else if (procedure.isForOrganisations && r.chance(0.7)) {
      applicant = {
        kind: 'organisation',
        name: organisationName(r, unit.name),
        idNumber: taxCode(r),
        address: addressIn(r, unit),
        phone: mobilePhone(r),
        email: '',
      };
    } else {
      const name = personName(r, unit.provinceCode);
      applicant = {
        kind: 'person',
        name: name.fullName,
        idNumber: citizenId(r, unit.provinceCode, filedYear - r.between(18, 80), name.isFemale),
        address: addressIn(r, unit),
        phone: mobilePhone(r),
        email: '',
      };
      if (r.chance(0.04)) {
        const proxy = personName(r, unit.provinceCode);
        representative = {
          kind: 'person',
          name: proxy.fullName,
          idNumber: citizenId(r, unit.provinceCode, filedYear - r.between(20, 65), proxy.isFemale),
          address: addressIn(r, unit),
          phone: mobilePhone(r),
          email: '',
          authorisationDocument: `Giấy ủy quyền số ${r.between(1, 300)}/${filedYear} ngày ${r.between(1, 28)}/${r.between(1, 12)}/${filedYear}`,
        };
      }
    }
    const returnMethod =
      channel === 'online'
        ? RETURN_ONLINE
        : channel === 'postal' || r.chance(0.08)
          ? RETURN_POSTAL
          : `Tại ${centre}`;

    // Components as checked at intake, and the scans or electronic files kept for them.
    const components: string[] = [];
    const files: string[] = [];
    const listed = procedure.components;
    const uploader = channel === 'online' ? owner!.id : this.officers.desk.id;
    const provided = listed.map(
      (c, i) =>
        c.isRequired || (listed.length <= 3 ? r.chance(0.9) : i < 2 ? r.chance(0.85) : r.chance(0.12)),
    );
    // The desk never receives a dossier with nothing in it: the first paper at least was there.
    if (listed.length > 0 && !provided.includes(true)) provided[0] = true;
    listed.forEach((c, i) => {
      let digitisation = 'not_provided';
      if (provided[i]) {
        if (channel === 'online') digitisation = 'electronic';
        else if (c.isShown) digitisation = 'shown_only';
        else {
          const d = r.next();
          digitisation = d < 0.9 ? 'scanned' : d < 0.94 ? 'verification_result' : 'shown_only';
        }
      }
      components.push(
        `${unit.code}\t${code}\t${encoded.componentColumns[i]}${bool(provided[i]!)}\t${digitisation}\n`,
      );
      if (digitisation === 'scanned' || digitisation === 'electronic') {
        const uploadedAt = filedAt - r.between(60_000, 15 * MINUTE_MS);
        const fileName = channel === 'online' ? `tai-lieu-${c.position}.pdf` : `ban-quet-${c.position}.pdf`;
        files.push(
          `${unit.code}\t${r.uuid()}\t${code}\tcomponent\t${c.position}\t${fileName}\tapplication/pdf\t` +
            `${this.input.file.sizeBytes}\t${this.input.file.sha256}\t${time(uploadedAt)}\t${uploader}\n`,
        );
      }
    });

    let rating: string | null = null;
    try {
      rating = this.lifecycle(run, procedure, channel, filedAt, owner, applicant.name, code, files, work);
    } catch (error) {
      if (error !== HISTORY_ENDED) throw error;
    }

    const s = run.state;
    const applicantSearch = foldText(`${applicant.name} ${applicant.idNumber} ${applicant.phone}`);
    const secret = Array.from({ length: 6 }, () => SECRET_ALPHABET[r.int(SECRET_ALPHABET.length)]).join('');
    const year = this.dayString(localDay(filedAt)).slice(0, 4);
    const setsCount = channel === 'online' ? 1 : r.chance(0.85) ? 1 : r.between(2, 3);
    sink.row(
      'dossiers',
      `${unit.code}\t${code}\t${procedure.code}\t${procedure.version}\t${encoded.nameText}\t${s.processingUnit}\t` +
        `${channel}\t${personJson(applicant)}\t${representative ? personJson(representative) : NULL}\t` +
        `${text(applicant.name)}\t${applicantSearch}\t` +
        `${encoded.nameText}\t${setsCount}\t${text(returnMethod)}\t${encoded.feesText[channel]}\t` +
        `${s.status}\t${s.assignedTo?.id ?? NULL}\t${nullableText(s.assignedTo?.name)}\t${time(filedAt)}\t` +
        `${time(s.receivedAt)}\t${time(s.dueAt)}\t${time(s.originalDueAt)}\t${s.deadline ?? NULL}\t` +
        `${s.deadlineState ?? NULL}\t${time(s.deadlineCheckedAt)}\t${s.supplementRequests}\t${bool(s.rescheduled)}\t` +
        `${time(s.resultAt)}\t${time(s.finishedAt)}\t${time(s.returnedAt)}\t${year}\t${registerNumber}\t${secret}\t` +
        `${s.version}\t${channel === 'online' ? owner!.id : this.officers.desk.id}\t${time(s.updatedAt)}\t` +
        `${owner?.id ?? NULL}\t${NULL}\t${channel === 'online' ? '{}' : NULL}\n`,
    );
    for (const line of run.actions) sink.row('dossier_actions', line);
    for (const line of run.commands) sink.row('dossier_commands', line);
    for (const line of components) sink.row('dossier_components', line);
    for (const line of files) sink.row('dossier_files', line);
    if (rating) sink.row('dossier_ratings', rating);

    const t = this.tally;
    t.dossiers++;
    t.byStatus[s.status] = (t.byStatus[s.status] ?? 0) + 1;
    if (s.resultAt !== null && s.dueAt !== null && (s.status === 'returned' || s.status === 'result_ready')) {
      t.finishedWithResult++;
      if (s.resultAt > s.dueAt) t.late++;
    }
  }

  /** The steps of the dossier; returns its rating line, if the applicant rated it. */
  private lifecycle(
    run: DossierRun,
    procedure: ScaleProcedure,
    channel: ChannelName,
    filedAt: number,
    owner: Person | null,
    applicantName: string,
    code: string,
    files: string[],
    work: WorkTime,
  ): string | null {
    const r = this.random;
    const unit = this.unit;
    const desk = this.desk();
    // Received now: the due date of the procedure version starts at this moment (the action's own time).
    let deadline: DeadlineResult | null = null;
    const received = (s: Cached, at: number) => {
      const d = (deadline = this.deadlineAt(procedure, channel, at));
      s.receivedAt = at;
      s.dueAt = s.originalDueAt = d.dueAt;
      s.deadline = d.deadline;
      s.deadlineState = this.stateAt(d.dueAt, at);
      s.deadlineCheckedAt = at;
    };
    const intake = (
      action: 'receive' | 'request_completion' | 'refuse_at_intake',
      reasons: string[] = [],
    ) => {
      run.take(
        action,
        filedAt,
        desk,
        { procedureVersion: procedure.version, channel, dueAt: null, ...(reasons.length ? { reasons } : {}) },
        action === 'receive' ? received : undefined,
      );
      if (deadline)
        this.patchLastDetails(run, {
          procedureVersion: procedure.version,
          channel,
          dueAt: iso(deadline.dueAt),
        });
    };

    if (channel === 'online') {
      run.take(
        'submit_online',
        filedAt,
        { id: owner!.id, nameText: text(applicantName), role: 'citizen', unit: unit.code },
        { procedureVersion: procedure.version, channel, dueAt: null },
      );
      // The desk checks online filings in its working hours, most within a working day, some after two or three.
      const checkedAt = work.addWorking(
        work.nextWorkingMoment(filedAt),
        r.chance(0.7) ? r.uniform(10 * MINUTE_MS, work.dayLength) : r.uniform(1, 3) * work.dayLength,
      );
      const u = r.next();
      if (u < 0.07) {
        run.take('return_online', checkedAt, desk, { reasons: [r.pick(ONLINE_RETURNS)] }, (s, at) => {
          s.finishedAt = at;
        });
        return null;
      }
      if (u < 0.08) {
        run.take('withdraw', checkedAt, desk, { reasons: [r.pick(WITHDRAW_REASONS)] }, (s, at) => {
          s.finishedAt = at;
          s.resultAt = null;
          s.deadlineState = null;
          s.deadlineCheckedAt = at;
        });
        return null;
      }
      run.take('accept', checkedAt, desk, {}, received);
      this.patchLastDetails(run, { dueAt: iso(run.state.dueAt) });
    } else {
      const u = r.next();
      if (u < 0.03) {
        intake('request_completion', [r.pick(COMPLETION_ITEMS)]);
        return null;
      }
      if (u < 0.034) {
        intake('refuse_at_intake', [r.pick(INTAKE_REFUSALS)]);
        return null;
      }
      intake('receive');
    }
    return this.processing(run, procedure, deadline!, channel, code, files, work);
  }

  private processing(
    run: DossierRun,
    procedure: ScaleProcedure,
    deadline: DeadlineResult,
    channel: ChannelName,
    code: string,
    files: string[],
    work: WorkTime,
  ): string | null {
    const r = this.random;
    const unit = this.unit;
    const desk = this.desk();
    const receivedAt = run.state.receivedAt!;
    const start = work.nextWorkingMoment(receivedAt);
    const allowed = Math.max(work.workingBetween(start, deadline.dueAt), 20 * MINUTE_MS);
    let shift = 0;
    const when = (offset: number) => work.addWorking(start, offset + shift);
    const after = (at: number, min: number, max: number) => work.addWorking(at, r.uniform(min, max));

    const fate = r.next();
    if (fate < 0.007) {
      run.take(
        'withdraw',
        when(allowed * r.uniform(0.01, 0.2)),
        desk,
        { reasons: [r.pick(WITHDRAW_REASONS)] },
        finish(null),
      );
      return null;
    }
    // A few dossiers get stuck (verification with another agency, a missing leader): they sit open for weeks
    // past their due date, the backlog a centre carries.
    const isStuck = r.chance(0.03);
    const isLate = isStuck || r.chance(0.04);
    // Half the dossiers that are going to be late get the apology and a new date (Mẫu 04) in time.
    this.wantsReschedule = isLate && r.chance(0.5);
    let total = isStuck
      ? allowed * r.uniform(1.5, 4) + r.uniform(10, 120) * work.dayLength
      : allowed * (isLate ? r.uniform(1.05, 1.7) : 0.12 + 0.83 * r.next() ** 0.8);

    // A transfer (liên thông) to another commune of the province, which then assigns and processes it.
    let processing = unit.code;
    const neighbours = this.province.units;
    if (fate < 0.011 && neighbours.length > 1) {
      let target = neighbours[r.int(neighbours.length)]!;
      if (target.code === unit.code)
        target = neighbours[(neighbours.indexOf(target) + 1) % neighbours.length]!;
      const by = r.chance(0.7) ? desk : this.unitActors.leader;
      const targetCode = target.code;
      run.take(
        'transfer',
        when(Math.max(5 * MINUTE_MS, allowed * r.uniform(0.01, 0.08))),
        by,
        {
          fromUnit: unit.code,
          toUnit: targetCode,
          reasons: [`Chuyển ${inSentence(target.fullName)} giải quyết theo thẩm quyền`],
        },
        (s) => {
          s.processingUnit = targetCode;
          s.assignedTo = null;
        },
      );
      processing = targetCode;
    }
    const staff = this.input.officers[processing]!;
    const processingActors = this.actorsOf(processing);
    const leader = processingActors.leader;
    const which = r.chance(0.6) || staff.specialists.length < 2 ? 0 : 1;
    const assignee = staff.specialists[which]!;
    const specialist = processingActors.specialists[which]!;

    // The desk forwards within a day or so (at once for what is answered the same day).
    const assignOffset = Math.max(
      3 * MINUTE_MS,
      Math.min(total * 0.3, total * r.uniform(0.02, 0.1) + r.uniform(0, 1) * work.dayLength),
    );
    const assigner = processing === unit.code && r.chance(0.65) ? desk : leader;
    run.take(
      'assign',
      when(assignOffset),
      assigner,
      { assignee: { id: assignee.id, name: assignee.name } },
      (s) => {
        s.assignedTo = assignee;
      },
    );

    let submitOffset = assignOffset + (total - assignOffset) * r.uniform(0.45, 0.65);
    // Supplements (Mẫu 02): the clock stops until the complete supplement arrives, then the due date moves on.
    const supplements = r.chance(0.07) ? (r.chance(0.1) ? 2 : 1) : 0;
    let cursor = assignOffset;
    for (let k = 0; k < supplements; k++) {
      const requestOffset = cursor + (submitOffset - cursor) * r.uniform(0.1, 0.5);
      const requester = r.chance(0.9) ? specialist : desk;
      const requestedAt = run.take(
        'request_supplement',
        when(requestOffset),
        requester,
        {
          items: [r.pick(SUPPLEMENT_ITEMS)],
          ...(run.state.supplementRequests >= 1 ? { countsAsLate: true } : {}),
          dueAtBefore: iso(run.state.dueAt),
        },
        (s, at) => {
          s.supplementRequests++;
          s.deadlineState = null;
          s.deadlineCheckedAt = at;
          this.pauseFrom(run, at);
        },
      );
      if (r.chance(0.15)) {
        // Never supplemented: the applicant withdraws it weeks later.
        run.take(
          'withdraw',
          after(requestedAt, 15 * work.dayLength, 40 * work.dayLength),
          desk,
          { reasons: [r.pick(ABANDON_REASONS)] },
          finish(null),
        );
        return null;
      }
      // Most applicants bring the papers within days; many take weeks.
      const pause = (r.chance(0.6) ? r.uniform(0.3, 8) : r.uniform(8, 60)) * work.dayLength;
      const resumedAt = work.addWorking(requestedAt, pause);
      shift += work.workingBetween(requestedAt, resumedAt);
      const before = run.state.dueAt;
      run.take('receive_supplement', resumedAt, desk, {}, (s, at) => this.resume(run, s, at, deadline.rule));
      // details are the due dates before and after, written once known (as the service does).
      this.patchLastDetails(run, { dueAtBefore: iso(before), dueAtAfter: iso(run.state.dueAt) });
      cursor = requestOffset;
    }

    if (fate >= 0.011 && fate < 0.016) {
      const by = r.chance(0.7) ? desk : leader;
      run.take(
        'stop',
        when(assignOffset + (submitOffset - assignOffset) * r.uniform(0.1, 0.8)),
        by,
        { reasons: [r.pick(STOP_REASONS)] },
        finish('result'),
      );
      return null;
    }
    if (r.chance(0.35))
      run.take('process', when(cursor + (submitOffset - cursor) * r.uniform(0.3, 0.9)), specialist, {
        note: r.pick(PROCESS_NOTES),
      });

    const isRefused = fate >= 0.016 && fate < 0.028;
    if (isRefused && r.chance(0.5)) {
      this.maybeReschedule(run, when(submitOffset), when(total), work, leader);
      run.take('refuse', when(submitOffset), leader, { reasons: [r.pick(REFUSE_REASONS)] }, finish('result'));
      return null;
    }
    this.maybeReschedule(run, when(submitOffset), when(total), work, leader);
    run.take('submit_for_approval', when(submitOffset), specialist, {});
    if (isRefused) {
      run.take(
        'refuse',
        after(run.lastAt, 10 * MINUTE_MS, 0.5 * work.dayLength),
        leader,
        { reasons: [r.pick(REFUSE_REASONS)] },
        finish('result'),
      );
      return null;
    }
    if (r.chance(0.05)) {
      const rejectedAt = after(
        run.lastAt,
        10 * MINUTE_MS,
        Math.max(11 * MINUTE_MS, (total - submitOffset) * 0.3),
      );
      run.take('reject', rejectedAt, leader, { reasons: [r.pick(REJECT_REASONS)] });
      total += allowed * 0.1;
      submitOffset = Math.min(total * 0.95, submitOffset + (total - submitOffset) * 0.5);
      run.take(
        'submit_for_approval',
        Math.max(when(submitOffset), after(rejectedAt, 20 * MINUTE_MS, 2 * HOUR_MS)),
        specialist,
        {},
      );
    }
    // The leader's review, then the result drawn up, signed, numbered and stamped (the records clerk's part).
    const approveOffset = submitOffset + (total - submitOffset) * r.uniform(0.2, 0.5);
    this.maybeReschedule(run, when(approveOffset), when(total), work, leader);
    run.take('approve', when(approveOffset), leader, {});
    this.maybeReschedule(run, when(total), when(total), work, leader);

    // The result: a file in the store, issued by the records clerk (or the leader, or the specialist).
    const issuer = r.next() < 0.65 ? processingActors.clerk : r.chance(0.57) ? leader : specialist;
    const resultFile = `ket-qua-${code}.pdf`;
    const issuedAt = run.take(
      'issue_result',
      when(total),
      issuer,
      { result: { fileName: resultFile, sha256: this.input.file.sha256 }, onTime: null },
      (s, at) => {
        s.resultAt = at;
        s.deadlineState = null;
        s.deadlineCheckedAt = at;
      },
    );
    this.patchLastDetails(run, {
      result: { fileName: resultFile, sha256: this.input.file.sha256 },
      onTime: run.state.dueAt !== null ? issuedAt <= run.state.dueAt : null,
    });
    files.push(
      `${unit.code}\t${r.uuid()}\t${code}\tresult\t${NULL}\t${resultFile}\tapplication/pdf\t` +
        `${this.input.file.sizeBytes}\t${this.input.file.sha256}\t${time(issuedAt)}\t${issuer.id}\n`,
    );

    // Collected at the desk days later, sent by post, or at once online; some wait weeks for their owner.
    const u = r.next();
    const pickup =
      channel === 'online'
        ? r.uniform(5 * MINUTE_MS, HOUR_MS)
        : u < 0.4
          ? r.uniform(10 * MINUTE_MS, 3 * HOUR_MS)
          : u < 0.7
            ? r.uniform(1, 3) * work.dayLength
            : u < 0.88
              ? r.uniform(4, 15) * work.dayLength
              : r.uniform(15, 90) * work.dayLength;
    const returnedAt = run.take('return_result', work.addWorking(issuedAt, pickup), desk, {}, (s, at) => {
      s.returnedAt = at;
      s.finishedAt = at;
    });

    if (!r.chance(0.3)) return null;
    const ratedAt = returnedAt + r.uniform(MINUTE_MS, 3 * DAY_MS);
    if (ratedAt > this.endMs) return null;
    const v = r.next();
    const rating = v < 0.88 ? 'satisfied' : v < 0.97 ? 'neutral' : 'dissatisfied';
    const comment = r.chance(0.3) ? r.pick(RATING_COMMENTS[rating]!) : '';
    const ratingChannel = channel === 'online' || r.chance(0.45) ? 'tracking' : 'counter';
    return `${unit.code}\t${code}\t${rating}\t${text(comment)}\t${ratingChannel}\t${time(ratedAt)}\n`;

    /** The changes of refuse, stop and withdraw: finished now, the result time (not for a withdrawal). */
    function finish(result: 'result' | null) {
      return (s: Cached, at: number) => {
        s.finishedAt = at;
        s.resultAt = result ? at : null;
        s.deadlineState = null;
        s.deadlineCheckedAt = at;
      };
    }
  }

  private pauseFrom(run: DossierRun, at: number): void {
    run.pauses.push({ from: new Date(at), to: null });
  }

  /** receive_supplement: the due date recomputed on the same calendar with the pauses (not after a rescheduling). */
  private resume(run: DossierRun, s: Cached, at: number, rule: ProcessingTimeRule | null): void {
    const open = run.pauses[run.pauses.length - 1];
    if (open) open.to = new Date(at);
    if (s.receivedAt !== null && rule && !s.rescheduled) {
      const result = computeDueAtWithPauses({
        receivedAt: new Date(s.receivedAt),
        rule,
        calendar: this.province.prepared,
        pauses: run.pauses,
      });
      if (result.ok && !result.paused) {
        s.dueAt = result.dueAt.getTime();
        s.deadline = encodeDeadline(result.explanation, result.inputs, json(rule));
        s.deadlineState = this.stateAt(s.dueAt, at);
        s.deadlineCheckedAt = at;
      }
    } else if (s.dueAt !== null) {
      s.deadlineState = this.stateAt(s.dueAt, at);
      s.deadlineCheckedAt = at;
    }
  }

  /**
   * Mẫu 04, once, when the dossier is going to be late: the leader apologises and sets a new date shortly before the
   * due date (the service refuses it while the dossier is on track), if that moment comes before the next step.
   */
  private maybeReschedule(
    run: DossierRun,
    nextAt: number,
    resultAt: number,
    work: WorkTime,
    leader: Actor,
  ): void {
    const s = run.state;
    if (!this.wantsReschedule || s.rescheduled || s.dueAt === null || resultAt <= s.dueAt) return;
    if (!ACTION_RULES.reschedule.from.includes(s.status)) return;
    const r = this.random;
    const at = work.nextWorkingMoment(
      Math.max(run.lastAt + MINUTE_MS, s.dueAt - r.uniform(0.5, 20) * HOUR_MS),
    );
    if (at >= nextAt || this.stateAt(s.dueAt, at) === 'on_track') return;
    const newDueAt = work.endOfWorkingDay(work.addWorkingDays(localDay(resultAt), r.between(0, 2)));
    const reason = r.pick(RESCHEDULE_REASONS);
    const moved = reschedule(
      { originalDueAt: new Date(s.originalDueAt ?? s.dueAt), dueAt: new Date(s.dueAt), reschedules: [] },
      new Date(newDueAt),
      reason,
    );
    if (!moved.ok) return;
    const previousDueAt = s.dueAt;
    run.take(
      'reschedule',
      at,
      leader,
      { previousDueAt: iso(previousDueAt), newDueAt: iso(newDueAt), reasons: [reason] },
      (state, when) => {
        state.dueAt = newDueAt;
        state.rescheduled = true;
        state.deadlineState = this.stateAt(newDueAt, when);
        state.deadlineCheckedAt = when;
      },
    );
  }

  /** Replaces the details of the last action taken (for values only known once its change was applied). */
  private patchLastDetails(run: DossierRun, details: Record<string, unknown>): void {
    const line = run.actions[run.actions.length - 1]!;
    const tab = line.lastIndexOf('\t');
    run.actions[run.actions.length - 1] = `${line.slice(0, tab + 1)}${json(details)}\n`;
  }
}

/** Applicant and representative as the service stores them, encoded field by field (they are most of a row). */
function personJson(p: Record<string, string>): string {
  let encoded = `{"kind":${jsonString(p.kind!)},"name":${jsonString(p.name!)},"idNumber":${jsonString(p.idNumber!)},`;
  encoded += `"address":${jsonString(p.address!)},"phone":${jsonString(p.phone!)},"email":${jsonString(p.email!)}`;
  if (p.authorisationDocument !== undefined)
    encoded += `,"authorisationDocument":${jsonString(p.authorisationDocument)}`;
  return `${encoded}}`;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
