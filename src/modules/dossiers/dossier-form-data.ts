// What each legal form of the one-stop shop (Thông tư 03/2025/TT-VPCP Phụ lục I, Mẫu 01–07) prints, as plain
// data. The service fills these from the dossier and its action log; dossier-forms.ts lays them out as A4 PDFs.
// Every text here is already Vietnamese and ready to print; instants are Dates, printed as hh:mm dd/mm/yyyy in
// Vietnam time.

/** The issuing body, printed in the top-left header of every form. */
export interface FormAgency {
  /** "UBND XÃ BẢO YÊN" line: the People's Committee the centre belongs to, e.g. "Ủy ban nhân dân xã Bảo Yên". */
  committeeName: string;
  /** "Trung tâm Phục vụ hành chính công xã Bảo Yên". */
  centreName: string;
  /** Place name for "…, ngày … tháng … năm …": e.g. "Bảo Yên". */
  placeName: string;
  /** "Tỉnh Lào Cai". */
  provinceName: string;
}

export interface FormPerson {
  name: string;
  /** Số định danh cá nhân (12 digits) or the organisation's identification number. */
  idNumber: string;
  address: string;
  phone: string;
  email: string;
}

export interface FormRepresentative extends FormPerson {
  /** The authorisation document (giấy ủy quyền …). */
  authorisationDocument: string;
}

export interface FormProcedure {
  code: string;
  name: string;
  field: string;
}

/** Common to every form about one dossier. */
export interface DossierFormBase {
  agency: FormAgency;
  /** Mã hồ sơ. */
  dossierCode: string;
  procedure: FormProcedure;
  applicant: FormPerson;
  representative: FormRepresentative | null;
  /** When the form is issued (the place-and-date line). */
  issuedAt: Date;
  /** Who issues it (printed under the signature line). */
  issuedBy: { name: string; title: string };
}

/** Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export interface ReceiptForm extends DossierFormBase {
  /** "Số: 12/TNHS": the receipt's number in the centre's register of this year. */
  receiptNumber: string;
  /** The request in the applicant's words, or the procedure name. */
  request: string;
  components: { name: string; originals: number | null; copies: number | null; digitised: boolean }[];
  setsCount: number;
  /** "03 ngày làm việc". */
  processingTimeText: string;
  receivedAt: Date;
  dueAt: Date | null;
  /** Where to collect the result ("Tại Trung tâm …", "Qua bưu chính công ích …", "Trực tuyến"). */
  returnPlace: string;
  /** "Vào Sổ theo dõi hồ sơ, Quyển số …, Số thứ tự …". */
  register: { book: string; number: number };
  /** The tracking page the QR code leads to, and the short secret printed beside it. */
  trackingUrl: string;
  trackingSecret: string;
}

/** Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export interface SupplementRequestForm extends DossierFormBase {
  receivedAt: Date | null;
  /** What must be added or corrected, one item per line. */
  items: string[];
  reason: string;
  /** True when asked at the counter before the dossier was accepted (hoàn thiện), false while processing (bổ sung). */
  atReception: boolean;
  trackingUrl: string;
}

/** Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export interface RefusalForm extends DossierFormBase {
  receivedAt: Date | null;
  reasons: string[];
}

/** Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả. */
export interface ApologyForm extends DossierFormBase {
  receivedAt: Date;
  originalDueAt: Date;
  newDueAt: Date;
  reason: string;
  /** The head of the agency who signs it. */
  signedBy: { name: string; title: string };
}

/** Mẫu 05: Thông báo dừng giải quyết hồ sơ. */
export interface StopNoticeForm extends DossierFormBase {
  receivedAt: Date | null;
  /** When the applicant asked to stop, and why. */
  requestedAt: Date;
  reason: string;
}

export type HandOffResult = 'early' | 'on_time' | 'late';

/** One hand-off of the control slip: who gave the dossier to whom, when, and whether the giver's step was on time. */
export interface ControlSlipRow {
  /** "Bộ phận tiếp nhận và trả kết quả", "Chuyên viên xử lý", "Lãnh đạo phê duyệt"… */
  step: string;
  giver: { name: string; unit: string };
  receiver: { name: string; unit: string };
  handedAt: Date;
  /** The step's statutory end (from the procedure's workflow and time shares). */
  stepDueAt: Date | null;
  result: HandOffResult | null;
  note: string;
}

/** Mẫu 06: Phiếu kiểm soát quá trình giải quyết hồ sơ. */
export interface ControlSlipForm extends DossierFormBase {
  handlingBody: string;
  coordinatingBodies: string[];
  receivedAt: Date;
  dueAt: Date | null;
  rows: ControlSlipRow[];
  trackingUrl: string;
}

export interface RegisterRow {
  index: number;
  dossierCode: string;
  procedureName: string;
  applicantName: string;
  /** Address and phone, as one cell. */
  addressPhone: string;
  processingBody: string;
  receivedAt: Date | null;
  dueAt: Date | null;
  returnedAt: Date | null;
  /** Status in words ("Đã trả kết quả", "Đang giải quyết"…), and "quá hạn" when late. */
  note: string;
}

/** Mẫu 07: Sổ theo dõi hồ sơ, for one unit and one period. */
export interface RegisterForm {
  agency: FormAgency;
  /** "Quyển số 2026". */
  book: string;
  from: Date;
  to: Date;
  rows: RegisterRow[];
  issuedAt: Date;
}
