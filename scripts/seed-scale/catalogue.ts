// Which procedures the generated communes offer, and how often each is filed. A commune centre offers the
// commune-level procedures of the catalogue except those whose field belongs to the local offices of central
// agencies (customs, tax, treasury, police registers, social insurance, courts, maritime). Volumes follow what a
// commune centre sees: certification (chứng thực) and civil status (hộ tịch) are most of the work.
import type { ProcedureRecord, ProcessingTimeRule } from '../../src/modules/procedures/index.ts';
import { procedureComponents } from '../../src/modules/dossiers/dossiers.service.ts';
import type { Modules } from '../../src/modules.ts';

export type ChannelName = 'in_person' | 'online' | 'postal';

/** Fields whose procedures a commune centre does not handle itself, though the catalogue lists them at "cấp xã". */
const FIELDS_ELSEWHERE = new Set([
  'Hải quan',
  'Thuế',
  'Quản lý thuế, phí, lệ phí và thu khác của ngân sách nhà nước',
  'Kho bạc Nhà nước',
  'Hàng hải và đường thủy nội địa',
  'Tòa án',
  'Quản lý xuất nhập cảnh',
  'Cấp, quản lý căn cước',
  'Định danh và xác thực điện tử',
  'Đăng ký, quản lý cư trú',
  'Đăng ký, quản lý phương tiện giao thông cơ giới, xe máy chuyên dùng',
  'Sát hạch, cấp giấy phép lái xe',
  'Quản lý vũ khí, vật liệu nổ, công cụ hỗ trợ và pháo',
  'Biển và hải đảo',
  'Địa chất và khoáng sản',
  'Bảo hiểm',
  'Thu BHXH, BHYT, BHTN, BH tai nạn lao động, BNN',
  'Cấp sổ BHXH, thẻ BHYT',
  'Chi trả các chế độ BHXH',
  'Thực hiện chính sách BHXH',
  'Thực hiện chính sách BHYT',
]);

/** Share of a commune centre's dossiers by field; a field not listed gets 0.4 %. */
const FIELD_SHARE: Record<string, number> = {
  'Chứng thực': 0.45,
  'Hộ tịch': 0.27,
  'Đất đai': 0.06,
  'Tài chính đất đai': 0.01,
  'Chính sách': 0.025,
  'Giảm nghèo': 0.015,
  'Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)': 0.025,
  'Hoạt động xây dựng': 0.015,
  'Nhà ở và công sở': 0.008,
  'Quy hoạch đô thị và nông thôn': 0.005,
  'Hòa giải ở cơ sở': 0.004,
  'Nuôi con nuôi': 0.002,
};

/** Relative frequency inside a field, from words of the procedure's name (first match wins). */
const NAME_WEIGHTS: [RegExp, number][] = [
  [/bản sao từ bản chính/i, 10],
  [/chữ ký người dịch/i, 0.3],
  [/chữ ký/i, 4],
  [/giao dịch liên quan đến tài sản/i, 2],
  [/bản sao từ sổ gốc/i, 0.8],
  [/khai sinh/i, 5],
  [/kết hôn/i, 3],
  [/khai tử/i, 2],
  [/xác nhận thông tin hộ tịch/i, 3],
  [/thay đổi, cải chính/i, 1.5],
  [/nhận cha, mẹ, con/i, 0.6],
  [/giám hộ/i, 0.3],
  [/di chúc|di sản/i, 0.3],
  [/hộ kinh doanh/i, 2],
];

/** Rare cases: foreign element, border area, mobile registration, re-registration. */
const RARE_WORDS: [RegExp, number][] = [
  [/yếu tố nước ngoài/i, 0.08],
  [/biên giới/i, 0.3],
  [/lưu động/i, 0.2],
  [/đăng ký lại|ghi vào Sổ hộ tịch/i, 0.3],
];

/** Working days a desk officer writes as the due date when the procedure's time cannot be computed. */
const MANUAL_DAYS: Record<string, number> = { 'Chứng thực': 2, 'Hộ tịch': 3, 'Đất đai': 15 };

export interface ChannelTerms {
  /** The procedure version's rule for this channel (or its first channel's), as computeDeadline picks it. */
  rule: ProcessingTimeRule | null;
  /** The fees the service copies into the dossier, as JSON. */
  feesJson: string;
}

export interface ScaleProcedure {
  code: string;
  version: number;
  name: string;
  field: string;
  weight: number;
  components: {
    position: number;
    name: string;
    originals: number | null;
    copies: number | null;
    isRequired: boolean;
    /** Papers only shown at the desk (giấy tờ phải xuất trình). */
    isShown: boolean;
  }[];
  terms: Record<ChannelName, ChannelTerms>;
  acceptsOnline: boolean;
  acceptsPostal: boolean;
  manualDays: number;
  resultName: string;
  isForOrganisations: boolean;
}

function termsOf(record: ProcedureRecord, channel: ChannelName): ChannelTerms {
  const rule = record.channels.find((c) => c.channel === channel) ?? record.channels[0];
  const fees = (rule?.fees ?? []).map((f) => ({ text: f.text, amountVnd: f.amountVnd, per: f.per }));
  return { rule: rule?.processingTime ?? null, feesJson: JSON.stringify(fees) };
}

export function isOfferedByCommunes(procedure: { field: string; levels: string[] }): boolean {
  return procedure.levels.includes('xa') && !FIELDS_ELSEWHERE.has(procedure.field);
}

/** The commune-level procedures (current versions) the generated dossiers use, with their weights. */
export async function loadScaleCatalogue(procedures: Modules['procedures']): Promise<ScaleProcedure[]> {
  const listed: { code: string; baseCode: string; field: string; levels: string[] }[] = [];
  for (let page = 1; ; page++) {
    const { items } = await procedures.service.searchCatalogue({ level: 'xa', page, pageSize: 500 });
    listed.push(...items.filter(isOfferedByCommunes));
    if (items.length < 500) break;
  }
  // A national procedure that the province localised (…H61) is filed under the localised code.
  const localised = new Set(listed.filter((p) => p.code !== p.baseCode).map((p) => p.baseCode));
  const chosen: ScaleProcedure[] = [];
  for (const item of listed) {
    const { record, version } = await procedures.service.getProcedure(item.code);
    const nameWeight = NAME_WEIGHTS.find(([pattern]) => pattern.test(record.name))?.[1] ?? 1;
    const rarity = RARE_WORDS.filter(([pattern]) => pattern.test(record.name)).reduce((w, [, f]) => w * f, 1);
    const isShadowed = item.code === item.baseCode && localised.has(item.code) ? 0.3 : 1;
    const channels = new Set(record.channels.map((c) => c.channel));
    const acceptsOnline =
      channels.has('online') || (channels.size === 0 && record.onlineServiceLevel !== 'none');
    chosen.push({
      code: item.code,
      version,
      name: record.name,
      field: record.field,
      weight: nameWeight * rarity * isShadowed,
      components: procedureComponents(record).map((c) => ({
        position: c.position,
        name: c.name,
        originals: c.originals,
        copies: c.copies,
        isRequired: c.isRequired,
        isShown: /xuất trình/i.test(c.group ?? ''),
      })),
      terms: {
        in_person: termsOf(record, 'in_person'),
        online: termsOf(record, 'online'),
        postal: termsOf(record, 'postal'),
      },
      acceptsOnline,
      acceptsPostal: channels.has('postal') || channels.size === 0,
      manualDays: MANUAL_DAYS[record.field] ?? 7,
      resultName: record.results[0]?.name ?? 'Kết quả giải quyết thủ tục hành chính',
      isForOrganisations: /hợp tác/i.test(record.field),
    });
  }
  // Each field's share spread over its procedures by their relative weights.
  const fieldTotals = new Map<string, number>();
  for (const p of chosen) fieldTotals.set(p.field, (fieldTotals.get(p.field) ?? 0) + p.weight);
  for (const p of chosen) p.weight = ((FIELD_SHARE[p.field] ?? 0.004) * p.weight) / fieldTotals.get(p.field)!;
  return chosen.sort((a, b) => a.code.localeCompare(b.code));
}
