// Demo data for `npm start` outside production: one demo account per role in the configured province and a few
// of its communes. Idempotent: accounts that exist are left alone. The demo password is public (README), which is
// why production (DEMO_DATA=false by default) never loads it.
import type { AdminUnitsService } from './modules/admin-units/index.ts';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IdentityService, Role } from './modules/identity/index.ts';
import type { DossiersService } from './modules/dossiers/index.ts';
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

/** Imports the seed catalogues shipped in reference-data/procedures; returns how many procedures were created. */
export async function importShippedCatalogues(procedures: ProceduresModule): Promise<number> {
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
  return imported;
}

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
  const imported = await importShippedCatalogues(procedures);
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

/**
 * On a province with no dossiers: a few dossiers at the first demo commune in the states an officer meets every day
 * (received, being processed, waiting for a supplement, waiting for approval, result ready, returned), taken through
 * the real workflow by the demo officers, so the queues, the forms and the register have something to show.
 */
export async function loadDemoDossiers(
  modules: {
    procedures: ProceduresModule;
    identity: IdentityService;
    adminUnits: AdminUnitsService;
    dossiers: DossiersService;
  },
  provinceCode: string,
): Promise<number> {
  const { items: communes } = await modules.adminUnits.searchUnits({
    province: provinceCode,
    level: 'commune',
    page: 1,
    pageSize: 1,
  });
  const commune = communes[0];
  if (!commune) return 0;
  const existing = await modules.dossiers.countDossiers(commune.code);
  if (existing > 0) return 0;
  const { items } = await modules.procedures.service.searchCatalogue({
    unitCode: commune.code,
    page: 1,
    pageSize: 200,
  });
  let procedure;
  for (const item of items) {
    const candidate = await modules.procedures.service.getProcedure(item.code);
    const rule = candidate.record.channels.find((c) => c.channel === 'in_person')?.processingTime;
    if (
      rule?.parsed &&
      rule.unit === 'working_day' &&
      (rule.value ?? 0) >= 2 &&
      candidate.record.components.some((c) => !c.isHeading)
    ) {
      procedure = candidate;
      break;
    }
  }
  if (!procedure) return 0;
  const principal = async (username: string) => {
    const user = await modules.identity.findUserIdByUsername(username);
    return user ? modules.identity.loadPrincipal(user) : undefined;
  };
  const desk = await principal('motcua.xa1');
  const specialist = await principal('chuyenvien.xa1');
  const leader = await principal('lanhdao.xa1');
  if (!desk || !specialist || !leader) return 0;
  const info = { requestId: 'demo-data', ip: '127.0.0.1' };
  const { renderPdf } = await import('./platform/pdf/render-pdf.ts');
  const scan = await renderPdf({
    info: { title: 'Bản quét mẫu', author: 'xaso (dữ liệu mẫu)' },
    content: [{ text: 'Bản quét mẫu của giấy tờ (dữ liệu thử, không có giá trị pháp lý).' }],
  });
  const components = procedure.record.components.filter((c) => !c.isHeading);
  const people = [
    ['Lò Thị Mai', '010203004567', 'Thôn Nà Hỏm'],
    ['Giàng A Chứ', '010198001234', 'Bản Sín Chải'],
    ['Hoàng Văn Thắng', '010287005678', 'Thôn Phố Cũ'],
    ['Vàng Thị Dung', '010301009876', 'Bản Lùng Thàng'],
    ['Sùng A Lử', '010175004321', 'Thôn Nậm Khắt'],
    ['Nông Thị Hạnh', '010299002468', 'Thôn Bản Ràng'],
  ] as const;
  // How far each demo dossier goes along the workflow.
  const paths: string[][] = [
    [],
    ['assign'],
    ['assign', 'request_supplement'],
    ['assign', 'submit_for_approval'],
    ['assign', 'submit_for_approval', 'approve', 'issue_result'],
    ['assign', 'submit_for_approval', 'approve', 'issue_result', 'return_result'],
  ];
  let created = 0;
  for (const [i, [name, idNumber, village]] of people.entries()) {
    const upload = await modules.dossiers.storeUpload(
      desk,
      commune.code,
      { fileName: 'ban-quet.pdf', bytes: scan },
      info,
    );
    const dossier = await modules.dossiers.receiveDossier(
      desk,
      commune.code,
      {
        procedureCode: procedure.code,
        channel: 'in_person',
        decision: 'receive',
        applicant: {
          kind: 'person',
          name,
          idNumber,
          address: `${village}, ${commune.fullName}`,
          phone: `09123400${String(i).padStart(2, '0')}`,
          email: '',
        },
        representative: null,
        requestSummary: '',
        setsCount: 1,
        returnMethod: 'at_centre',
        processingUnitCode: null,
        components: components.map((_, index) => ({
          position: index + 1,
          isProvided: true,
          digitisation: 'scanned',
          uploadIds: [upload.id],
        })),
        reasons: [],
        manualDueAt: null,
      },
      info,
      `demo-dossier-${i}`,
    );
    created++;
    for (const [step, action] of paths[i]!.entries()) {
      const actor =
        action === 'assign' || action === 'return_result'
          ? desk
          : action === 'approve' || action === 'issue_result'
            ? leader
            : specialist;
      await modules.dossiers.act(
        actor,
        dossier.code,
        action as never,
        {
          assigneeId: specialist.userId,
          items: ['Bản sao giấy chứng nhận kết hôn của cha, mẹ'],
          resultTitle: procedure.record.results[0]?.name ?? 'Kết quả giải quyết thủ tục hành chính',
          resultContent: `Kết quả giải quyết hồ sơ của ${name} (dữ liệu mẫu).`,
        },
        info,
        `demo-dossier-${i}-${step}`,
      );
    }
  }
  return created;
}
