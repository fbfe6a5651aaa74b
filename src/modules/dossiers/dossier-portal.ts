// Pure: a dossier as the national public-service portal (Cổng DVCQG) synchronises it, with the field names of
// DOMAIN.md §6 (services DongBoHoSoMC and CapNhatTienDoHoSoMC, as observed in third-party integrations; the official
// field table of TT 04/2025/TT-VPCP is still an open question). The sync itself (issue 6 of the roadmap: national
// integration) sends this; here the model proves it can produce every field from its own data.
import { formatVietnamIso } from '../../platform/clock.ts';
import type { DossierStatus } from './dossier-workflow.ts';

export interface PortalSource {
  code: string;
  procedure: { code: string; name: string; field: string; fieldCode: string | null };
  channel: 'in_person' | 'online' | 'postal';
  applicant: {
    kind: 'person' | 'organisation';
    name: string;
    idNumber: string;
    phone: string;
    email: string;
    address: string;
  };
  requestSummary: string;
  status: DossierStatus;
  filedAt: Date;
  receivedAt: Date | null;
  dueAt: Date | null;
  resultAt: Date | null;
  returnedAt: Date | null;
  returnMethod: string;
  processingUnitName: string;
  receivingUnitName: string;
  fees: { text: string; amountVnd: number | null }[];
  components: {
    position: number;
    name: string;
    digitisation: string;
    files: { name: string; url: string }[];
  }[];
  results: { name: string; url: string }[];
  actions: {
    action: string;
    /** The step in Vietnamese ("Phân công xử lý"…). */
    label: string;
    at: Date;
    actorName: string;
    actorRole: string | null;
    unitName: string;
    statusAfter: DossierStatus;
    details: Record<string, unknown>;
    stepDueAt: Date | null;
  }[];
}

/** "yyyyMMddHHmmss" in Vietnam time, the form the portal's date fields take in the integrations observed. */
export function portalTime(at: Date | null): string | null {
  if (!at) return null;
  return formatVietnamIso(at).slice(0, 19).replace(/[-T:]/g, '');
}

/** The portal's status words for our statuses (TrangThaiHoSo). */
const PORTAL_STATUS: Record<DossierStatus, string> = {
  submitted: 'Chờ tiếp nhận',
  returned_for_completion: 'Yêu cầu bổ sung',
  received: 'Đã tiếp nhận',
  processing: 'Đang xử lý',
  awaiting_supplement: 'Yêu cầu bổ sung',
  awaiting_approval: 'Đang xử lý',
  approved: 'Đang xử lý',
  result_ready: 'Đã xử lý xong',
  returned: 'Đã trả kết quả',
  refused: 'Từ chối',
  stopped: 'Dừng xử lý',
  withdrawn: 'Rút hồ sơ',
};

const CHANNEL: Record<PortalSource['channel'], number> = { in_person: 1, online: 2, postal: 3 };

const ROLE_TITLE: Record<string, string> = {
  desk_officer: 'Cán bộ một cửa',
  specialist: 'Chuyên viên',
  leader: 'Lãnh đạo',
  records_clerk: 'Văn thư',
};

export function toPortalDossier(d: PortalSource) {
  const supplements: {
    requestedAt: Date;
    items: string[];
    dueBefore: string | null;
    receivedAt: Date | null;
    dueAfter: string | null;
  }[] = [];
  for (const a of d.actions) {
    if (a.action === 'request_supplement')
      supplements.push({
        requestedAt: a.at,
        items: (a.details.items as string[] | undefined) ?? [],
        dueBefore: (a.details.dueAtBefore as string | undefined) ?? null,
        receivedAt: null,
        dueAfter: null,
      });
    if (a.action === 'receive_supplement' && supplements.length > 0) {
      const last = supplements[supplements.length - 1]!;
      last.receivedAt = a.at;
      last.dueAfter = (a.details.dueAtAfter as string | undefined) ?? null;
    }
  }
  const ended = d.status === 'refused' ? d.resultAt : null;
  return {
    MaHoSo: d.code,
    MaTTHC: d.procedure.code,
    TenTTHC: d.procedure.name,
    MaLinhVuc: d.procedure.fieldCode,
    TenLinhVuc: d.procedure.field,
    KenhThucHien: CHANNEL[d.channel],
    ChuHoSo: d.applicant.name,
    LoaiDoiTuong: d.applicant.kind === 'person' ? 1 : 2,
    SoGiayToChuHoSo: d.applicant.idNumber,
    Email: d.applicant.email || null,
    SoDienThoai: d.applicant.phone,
    DiaChi: d.applicant.address,
    TrichYeuHoSo: d.requestSummary,
    TrangThaiHoSo: PORTAL_STATUS[d.status],
    NgayNopHoSo: portalTime(d.filedAt),
    NgayTiepNhan: portalTime(d.receivedAt),
    NgayHenTra: portalTime(d.dueAt),
    NgayKetThucXuLy: portalTime(d.resultAt),
    NgayTra: portalTime(d.returnedAt),
    NgayTuChoi: portalTime(ended),
    HinhThuc: d.returnMethod,
    DonViXuLy: d.processingUnitName,
    NoiNopHoSo: d.receivingUnitName,
    HoSoCoThanhPhanSoHoa: d.components.some((c) => c.digitisation === 'scanned' && c.files.length > 0)
      ? 1
      : 0,
    TaiKhoanDuocXacThucVoiVNeID: 0,
    DuocThanhToanTrucTuyen: 0,
    DinhDanhCHS: [{ LoaiDinhDanh: d.applicant.kind === 'person' ? 1 : 2, SoDinhDanh: d.applicant.idNumber }],
    TaiLieuNop: d.components.flatMap((c) =>
      c.files.map((f) => ({
        TenTepDinhKem: f.name,
        MaThanhPhanHoSo: String(c.position),
        TenThanhPhanHoSo: c.name,
        DuongDanTaiTepTin: f.url,
        DuocSoHoa: c.digitisation === 'scanned' ? 1 : 0,
        DuocTaiSuDung: 0,
        DuocLayTuKhoDMQG: 0,
        MaKetQuaThayThe: null,
      })),
    ),
    DanhSachLePhi: d.fees.map((f, i) => ({
      TenPhiLePhi: f.text,
      MaPhiLePhi: String(i + 1),
      HinhThucThu: 1,
      Gia: f.amountVnd ?? 0,
      LoaiPhiLePhi: 1,
    })),
    DanhSachHoSoBoSung: supplements.map((s) => ({
      NgayYeuCauBoSung: portalTime(s.requestedAt),
      NoiDungYeuCauBoSung: s.items.join('; '),
      NgayTiepNhanBoSung: portalTime(s.receivedAt),
      NgayHenTraTruoc: s.dueBefore ? portalTime(new Date(s.dueBefore)) : null,
      NgayHenTraMoi: s.dueAfter ? portalTime(new Date(s.dueAfter)) : null,
    })),
    DanhSachGiayToKetQua: d.results.map((r, i) => ({
      TenGiayTo: r.name,
      MaGiayToKetQua: `${d.code}.KQ${i + 1}`,
      DuongDanTepTinKetQua: r.url,
    })),
    QuaTrinhXuLy: d.actions.map((a, i) => ({
      MaHoSo: d.code,
      NguoiXuLy: a.actorName,
      ChucDanh: (a.actorRole && ROLE_TITLE[a.actorRole]) ?? '',
      ThoiDiemXuLy: portalTime(a.at),
      PhongBanXuLy: a.unitName,
      NoiDungXuLy: a.label,
      TrangThai: PORTAL_STATUS[a.statusAfter],
      NgayBatDau: portalTime(i === 0 ? a.at : d.actions[i - 1]!.at),
      NgayKetThucTheoQuyDinh: portalTime(a.stepDueAt),
    })),
  };
}

export type PortalDossier = ReturnType<typeof toPortalDossier>;
