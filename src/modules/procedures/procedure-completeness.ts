// Pure: which of the components the law requires to be published a procedure record lacks
// (khoản 2 Điều 8 NĐ 63/2010/NĐ-CP; QĐ 766/QĐ-TTg indicator 1.3 "Công khai đủ bộ phận tạo thành").
// Forms, templates and results cannot be checked automatically (DOMAIN.md §5.2), so they are not listed.
import type { ProcedureRecord } from './procedure-record.ts';

export const REQUIRED_COMPONENTS = {
  name: 'a) Tên thủ tục',
  steps: 'b) Trình tự thực hiện',
  channels: 'c) Cách thức thực hiện',
  components: 'd) Thành phần, số lượng hồ sơ',
  processingTime: 'đ) Thời hạn giải quyết',
  subjects: 'e) Đối tượng thực hiện',
  agency: 'g) Cơ quan thực hiện',
} as const;

export type RequiredComponent = keyof typeof REQUIRED_COMPONENTS;

const present = (text: string | null | undefined) => typeof text === 'string' && text.trim().length > 0;

export function findMissingComponents(record: ProcedureRecord): RequiredComponent[] {
  const missing: RequiredComponent[] = [];
  if (!present(record.name)) missing.push('name');
  if (!present(record.steps)) missing.push('steps');
  if (record.channels.length === 0) missing.push('channels');
  const documents = record.components.filter((c) => !c.isHeading);
  if (documents.length === 0 || documents.every((c) => c.originals === null && c.copies === null)) {
    missing.push('components');
  }
  if (!record.channels.some((c) => present(c.processingTime.text))) missing.push('processingTime');
  if (record.subjects.length === 0) missing.push('subjects');
  if (!present(record.implementingAgency) && !present(record.competentAuthority)) missing.push('agency');
  return missing;
}

/** True when some processing time or fee was kept as text only and needs an administrator. */
export function hasUnparsedRules(record: ProcedureRecord): boolean {
  return record.channels.some((c) => !c.processingTime.parsed || c.fees.some((f) => !f.parsed));
}
