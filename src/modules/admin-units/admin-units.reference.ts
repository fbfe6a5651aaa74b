// Parses the shipped dataset (reference-data/admin-units, MIT, thanglequoc/vietnamese-provinces-database) into
// unit rows. Parsed once at the edge and validated: a malformed file stops the load with the offending entry.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { foldText } from '../../platform/text.ts';
import type { AdminUnitType } from './admin-units.tables.ts';

export const ADMIN_UNITS_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../reference-data/admin-units/vn-units-2026-07-25.json',
);

/** The two-tier structure took effect on 01/07/2025 (NQ 202/2025/QH15; codes per QĐ 19/2025/QĐ-TTg). */
export const TWO_TIER_START = '2025-07-01';
export const DATASET_BASIS =
  'NQ 202/2025/QH15; QĐ 19/2025/QĐ-TTg; dữ liệu thanglequoc/vietnamese-provinces-database (25/07/2026)';

export interface UnitRow {
  code: string;
  level: 'province' | 'commune';
  type: AdminUnitType;
  parentCode: string | null;
  name: string;
  fullName: string;
  nameEn: string;
  fullNameEn: string;
  slug: string;
  searchText: string;
}

interface RawUnit {
  Code?: unknown;
  Name?: unknown;
  NameEn?: unknown;
  FullName?: unknown;
  FullNameEn?: unknown;
  CodeName?: unknown;
  Wards?: unknown;
}

function typeOf(fullName: string, level: 'province' | 'commune'): AdminUnitType | undefined {
  const lower = fullName.toLowerCase();
  if (level === 'province') {
    if (lower.startsWith('thành phố ')) return 'thanh_pho';
    if (lower.startsWith('tỉnh ')) return 'tinh';
    return undefined;
  }
  if (lower.startsWith('xã ')) return 'xa';
  if (lower.startsWith('phường ')) return 'phuong';
  if (lower.startsWith('đặc khu ')) return 'dac_khu';
  return undefined;
}

function toRow(raw: RawUnit, level: 'province' | 'commune', parentCode: string | null): UnitRow {
  const strings = ['Code', 'Name', 'NameEn', 'FullName', 'FullNameEn', 'CodeName'] as const;
  for (const key of strings) {
    if (typeof raw[key] !== 'string' || (raw[key] as string).trim() === '') {
      throw new Error(`Dữ liệu đơn vị hành chính sai: mục ${JSON.stringify(raw.Code)} thiếu trường ${key}.`);
    }
  }
  const code = raw.Code as string;
  const codePattern = level === 'province' ? /^\d{2}$/ : /^\d{5}$/;
  if (!codePattern.test(code))
    throw new Error(`Dữ liệu đơn vị hành chính sai: mã "${code}" không đúng dạng.`);
  const fullName = (raw.FullName as string).trim();
  const type = typeOf(fullName, level);
  if (!type) throw new Error(`Dữ liệu đơn vị hành chính sai: không nhận ra loại của "${fullName}".`);
  const name = (raw.Name as string).trim();
  const nameEn = (raw.NameEn as string).trim();
  return {
    code,
    level,
    type,
    parentCode,
    name,
    // The dataset writes one commune as "xã …"; the legal name starts with a capital.
    fullName: fullName.charAt(0).toUpperCase() + fullName.slice(1),
    nameEn,
    fullNameEn: (raw.FullNameEn as string).trim(),
    slug: raw.CodeName as string,
    searchText: foldText(`${fullName} ${nameEn} ${code}`),
  };
}

export function parseAdminUnits(json: string): UnitRow[] {
  const data = JSON.parse(json) as unknown;
  if (!Array.isArray(data)) throw new Error('Dữ liệu đơn vị hành chính sai: cần một danh sách tỉnh.');
  const rows: UnitRow[] = [];
  for (const rawProvince of data as RawUnit[]) {
    const province = toRow(rawProvince, 'province', null);
    rows.push(province);
    if (!Array.isArray(rawProvince.Wards))
      throw new Error(`Tỉnh ${province.code} thiếu danh sách xã (Wards).`);
    for (const ward of rawProvince.Wards as RawUnit[]) rows.push(toRow(ward, 'commune', province.code));
  }
  const codes = new Set(rows.map((r) => r.code));
  if (codes.size !== rows.length) throw new Error('Dữ liệu đơn vị hành chính sai: có mã trùng nhau.');
  return rows;
}

export function readAdminUnitsFile(file = ADMIN_UNITS_FILE): { json: string; rows: UnitRow[] } {
  const json = fs.readFileSync(file, 'utf8');
  return { json, rows: parseAdminUnits(json) };
}
