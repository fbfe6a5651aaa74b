// Demo data for `npm start` outside production: one demo account per role in the configured province and a few
// of its communes. Idempotent: accounts that exist are left alone. The demo password is public (README), which is
// why production (DEMO_DATA=false by default) never loads it.
import type { AdminUnitsService } from './modules/admin-units/index.ts';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IdentityService, Role } from './modules/identity/index.ts';
import type { ProceduresModule } from './modules/procedures/index.ts';

export const DEMO_PASSWORD = 'demo-xaso-2026';

export interface DemoAccount {
  username: string;
  fullName: string;
  role: Role;
  unitCode: string | null;
}

export async function demoAccounts(
  adminUnits: AdminUnitsService,
  provinceCode: string,
): Promise<DemoAccount[]> {
  const province = await adminUnits.getUnit(provinceCode);
  const { items: communes } = await adminUnits.searchUnits({
    province: province.code,
    level: 'commune',
    page: 1,
    pageSize: 2,
  });
  const [first, second] = communes;
  if (!first || !second) throw new Error(`Tỉnh ${provinceCode} cần ít nhất hai xã để tạo dữ liệu mẫu.`);
  return [
    {
      username: 'quantri.hethong',
      fullName: 'Quản trị hệ thống (mẫu)',
      role: 'system_admin',
      unitCode: province.code,
    },
    {
      username: 'quantri.tinh',
      fullName: 'Nguyễn Thị Hoa (quản trị tỉnh, mẫu)',
      role: 'province_admin',
      unitCode: province.code,
    },
    {
      username: 'motcua.xa1',
      fullName: 'Lò Văn Minh (một cửa, mẫu)',
      role: 'desk_officer',
      unitCode: first.code,
    },
    {
      username: 'chuyenvien.xa1',
      fullName: 'Hoàng Thị Lan (chuyên viên, mẫu)',
      role: 'specialist',
      unitCode: first.code,
    },
    {
      username: 'lanhdao.xa1',
      fullName: 'Giàng A Páo (lãnh đạo, mẫu)',
      role: 'leader',
      unitCode: first.code,
    },
    {
      username: 'vanthu.xa1',
      fullName: 'Vàng Thị Mai (văn thư, mẫu)',
      role: 'records_clerk',
      unitCode: first.code,
    },
    {
      username: 'tocongnghe.xa1',
      fullName: 'Sùng Văn Dũng (tổ công nghệ số, mẫu)',
      role: 'community_team_member',
      unitCode: first.code,
    },
    {
      username: 'motcua.xa2',
      fullName: 'Trần Văn Bình (một cửa, mẫu)',
      role: 'desk_officer',
      unitCode: second.code,
    },
    { username: 'congdan', fullName: 'Lý Thị Sinh (công dân, mẫu)', role: 'citizen', unitCode: null },
  ];
}

/** Creates the demo accounts that do not exist yet; returns those created now (empty after the first start). */
export async function loadDemoData(
  adminUnits: AdminUnitsService,
  identity: IdentityService,
  provinceCode: string,
): Promise<DemoAccount[]> {
  const created: DemoAccount[] = [];
  for (const account of await demoAccounts(adminUnits, provinceCode)) {
    const result = await identity.bootstrapUser({
      username: account.username,
      fullName: account.fullName,
      password: DEMO_PASSWORD,
      grants: [{ role: account.role, unitCode: account.unitCode }],
    });
    if (result.created) created.push(account);
  }
  return created;
}

const SEED_CATALOGUES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../reference-data/procedures',
);

/**
 * On an empty catalogue: imports the shipped seed catalogues and lets the demo communes offer the procedures of
 * the fields a commune centre handles every day (hộ tịch, chứng thực). Returns how many procedures were imported.
 */
export async function loadDemoCatalogue(
  procedures: ProceduresModule,
  adminUnits: AdminUnitsService,
  provinceCode: string,
): Promise<number> {
  const existing = await procedures.service.searchCatalogue({ page: 1, pageSize: 1 });
  if (existing.total > 0) return 0;
  let imported = 0;
  for (const file of ['national-commune-procedures.json', 'announcement-vinh-long-2637-2025.json']) {
    const parsed = await procedures.readCatalogueFile(
      file,
      fs.readFileSync(path.join(SEED_CATALOGUES, file)),
    );
    const report = await procedures.service.importCatalogue(parsed, {
      fileName: file,
      dryRun: false,
      actor: null,
    });
    imported += report.created;
  }
  const offered = [];
  for (const field of ['Hộ tịch', 'Chứng thực']) {
    const { items } = await procedures.service.searchCatalogue({ field, page: 1, pageSize: 500 });
    offered.push(...items.map((p) => p.code));
  }
  const { items: communes } = await adminUnits.searchUnits({
    province: provinceCode,
    level: 'commune',
    page: 1,
    pageSize: 2,
  });
  for (const commune of communes) {
    await procedures.service.setOfferings({ userId: null, username: 'system' }, commune.code, {
      enable: offered,
      disable: [],
    });
  }
  return imported;
}
