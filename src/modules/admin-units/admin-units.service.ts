import crypto from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { foldText } from '../../platform/text.ts';
import * as repo from './admin-units.repo.ts';
import { DATASET_BASIS, TWO_TIER_START, readAdminUnitsFile } from './admin-units.reference.ts';
import type { AdminUnitType } from './admin-units.tables.ts';

export interface AdminUnit {
  code: string;
  level: 'province' | 'commune';
  type: AdminUnitType;
  parentCode: string | null;
  name: string;
  fullName: string;
  nameEn: string;
  fullNameEn: string;
  validFrom: string;
  legalBasis: string;
}

function present(row: repo.AdminUnitRecord): AdminUnit {
  return {
    code: row.code,
    level: row.level,
    type: row.type,
    parentCode: row.parentCode,
    name: row.name,
    fullName: row.fullName,
    nameEn: row.nameEn,
    fullNameEn: row.fullNameEn,
    validFrom: row.validFrom,
    legalBasis: row.legalBasis,
  };
}

export interface UnitSearch {
  q?: string;
  level?: 'province' | 'commune';
  province?: string;
  page: number;
  pageSize: number;
}

export function createAdminUnitsService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  return {
    /** Loads the shipped dataset unless the same file is already loaded. Idempotent; one transaction. */
    async loadReferenceData(file?: string): Promise<{ loaded: boolean; units: number }> {
      const { json, rows } = readAdminUnitsFile(file);
      const checksum = crypto.createHash('sha256').update(json).digest('hex');
      if ((await repo.findLoadedChecksum(db, 'admin-units')) === checksum)
        return { loaded: false, units: rows.length };
      const today = clock.now().toISOString().slice(0, 10);
      await db.transaction(async (tx) => {
        await repo.upsertUnits(tx, rows, TWO_TIER_START, today, DATASET_BASIS);
        await repo.recordLoad(tx, 'admin-units', checksum, clock.now());
      });
      return { loaded: true, units: rows.length };
    },

    async searchUnits(search: UnitSearch): Promise<{ items: AdminUnit[]; total: number }> {
      const folded = search.q ? foldText(search.q) : undefined;
      const { items, total } = await repo.searchUnits(db, {
        folded: folded || undefined,
        level: search.level,
        parentCode: search.province,
        limit: search.pageSize,
        offset: (search.page - 1) * search.pageSize,
      });
      return { items: items.map(present), total };
    },

    async findUnit(code: string): Promise<AdminUnit | undefined> {
      const row = await repo.findCurrentUnit(db, code);
      return row ? present(row) : undefined;
    },

    /** The communes of a province by code and full name, for the choosers of pages. */
    async listCommunes(provinceCode: string): Promise<{ code: string; name: string }[]> {
      const { items } = await this.searchUnits({
        province: provinceCode,
        level: 'commune',
        page: 1,
        pageSize: 5000,
      });
      return items.map((u) => ({ code: u.code, name: u.fullName }));
    },

    async getUnit(code: string): Promise<AdminUnit> {
      const row = await repo.findCurrentUnit(db, code);
      if (!row) throw new AppError('ADMIN_UNIT_NOT_FOUND', { code });
      return present(row);
    },

    async findUnits(codes: string[]): Promise<Map<string, AdminUnit>> {
      const rows = await repo.findCurrentUnits(db, [...new Set(codes)]);
      return new Map(rows.map((r) => [r.code, present(r)]));
    },

    async countCommunesByProvince(): Promise<Map<string, number>> {
      return repo.countCommunesByProvince(db);
    },
  };
}

export type AdminUnitsService = ReturnType<typeof createAdminUnitsService>;
