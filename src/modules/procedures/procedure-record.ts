// The procedure record (thủ tục hành chính) as xaso keeps it: the fields DOMAIN.md §5.2 lists, each parsed value
// beside the original text it came from. A version of a procedure stores one of these as its content.

/** Units a processing time is counted in (766 `DonViTinh`, plus "immediate / same day"). */
export type TimeUnit = 'working_day' | 'day' | 'hour' | 'working_hour' | 'immediate';

export interface CutoffRule {
  /** "HH:MM", Vietnam time: receipt after it counts as receipt on the next working day. */
  time: string;
  /** What happens after the cut-off: the clock starts on the next working day. */
  effect: 'next_working_day';
  /** When stated: the period that applies after the cut-off (e.g. "trong ngày làm việc tiếp theo" = 1 working day). */
  afterCutoff?: { value: number; unit: TimeUnit } | undefined;
  text: string;
}

export interface ProcessingTimeRule {
  /** The text as the source wrote it; always kept. */
  text: string;
  value: number | null;
  unit: TimeUnit | null;
  /** "không quá 02 ngày làm việc": a maximum, not a fixed duration. */
  isMaximum?: boolean | undefined;
  cutoff?: CutoffRule | undefined;
  /** False when the text could not be read into value + unit: kept as text and flagged for an administrator. */
  parsed: boolean;
  /** Why it was not parsed, or what was uncertain (Vietnamese, for the administrator). */
  problems?: string[] | undefined;
}

export interface FeeItem {
  text: string;
  /** Amount in đồng; 0 when free; null when not stated or not parseable. */
  amountVnd: number | null;
  /** "bản", "trang", "hồ sơ"… when the amount is per something. */
  per?: string | undefined;
  free: boolean;
  /** Set when the text defers the amount to another authority (e.g. the provincial People's Council). */
  note?: string | undefined;
  parsed: boolean;
  problems?: string[] | undefined;
}

export type ChannelKind = 'in_person' | 'online' | 'postal';

export interface ChannelRule {
  channel: ChannelKind;
  processingTime: ProcessingTimeRule;
  fees: FeeItem[];
  description: string | null;
}

export interface DossierComponent {
  name: string;
  templateName: string | null;
  /** Bản chính / bản sao counts; null when not written. */
  originals: number | null;
  copies: number | null;
  required: boolean | null;
  /** "Giấy tờ phải nộp", "Trường hợp ủy quyền…": the group or case the row belongs to. */
  group: string | null;
  isHeading: boolean;
}

export interface LegalBasis {
  number: string | null;
  title: string;
  date: string | null;
}

export type OnlineServiceLevel = 'toan_trinh' | 'mot_phan' | 'none';

export interface ProcedureRecord {
  /** The code as announced: national `d.dddddd` or localised `d.dddddd.000.00.00.Hnn`. */
  code: string;
  /** The 6-digit national code (`1.001193`). */
  baseCode: string;
  name: string;
  field: string;
  /** bo, tinh, xa, khac. */
  levels: string[];
  procedureType: string | null;
  subjects: string[];
  steps: string | null;
  channels: ChannelRule[];
  components: DossierComponent[];
  implementingAgency: string | null;
  competentAuthority: string | null;
  coordinatingAgency: string | null;
  receivingAddress: string | null;
  results: { name: string; code: string | null }[];
  legalBases: LegalBasis[];
  conditions: string | null;
  onlineServiceLevel: OnlineServiceLevel | null;
  /** A JSON Schema of the data an applicant fills in, when the procedure has an e-form. */
  eForm: Record<string, unknown> | null;
  /** The announcing decision (QĐCB), e.g. "2637/QĐ-UBND". */
  announcedBy: string | null;
  /** Where the record came from (file, decision, row). */
  source: string;
}
