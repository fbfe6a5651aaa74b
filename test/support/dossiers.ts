// A procedure to file dossiers against in tests: 3 working days, two components (one required), a fee, in person
// and online; and helpers that drive the dossier API as the demo officers of commune 02647 (province 15).
import type { ProcedureRecord } from '../../src/modules/procedures/index.ts';
import type { Agent, TestApp } from './app.ts';

export const TEST_PROCEDURE_CODE = '1.999001.000.00.00.H15';

export function testProcedureRecord(overrides: Partial<ProcedureRecord> = {}): ProcedureRecord {
  const processingTime = { text: '03 ngày làm việc', value: 3, unit: 'working_day' as const, parsed: true };
  const fees = [{ text: '8.000 đồng/bản', amountVnd: 8000, per: 'bản', free: false, parsed: true }];
  return {
    code: TEST_PROCEDURE_CODE,
    baseCode: '1.999001',
    name: 'Đăng ký khai sinh kết hợp nhận cha, mẹ, con',
    field: 'Hộ tịch',
    levels: ['xa'],
    procedureType: null,
    subjects: ['Công dân Việt Nam'],
    steps: 'Nộp hồ sơ; tiếp nhận; giải quyết; trả kết quả.',
    channels: [
      { channel: 'in_person', processingTime, fees, description: null },
      { channel: 'online', processingTime, fees, description: null },
    ],
    components: [
      {
        name: 'Tờ khai đăng ký khai sinh',
        templateName: null,
        originals: 1,
        copies: 0,
        required: true,
        group: null,
        isHeading: false,
      },
      {
        name: 'Giấy chứng sinh',
        templateName: null,
        originals: 1,
        copies: 0,
        required: false,
        group: null,
        isHeading: false,
      },
    ],
    implementingAgency: 'Ủy ban nhân dân cấp xã',
    competentAuthority: 'Ủy ban nhân dân cấp xã',
    coordinatingAgency: null,
    receivingAddress: null,
    results: [{ name: 'Giấy khai sinh', code: null }],
    legalBases: [],
    conditions: null,
    onlineServiceLevel: 'mot_phan',
    eForm: null,
    announcedBy: '1/QĐ-UBND',
    source: 'test',
    ...overrides,
  };
}

export async function importTestProcedure(
  t: TestApp,
  overrides: Partial<ProcedureRecord> = {},
): Promise<void> {
  await t.procedures.service.importCatalogue(
    {
      format: 'announcement-json',
      rows: [{ row: 1, record: testProcedureRecord(overrides), effectiveFrom: '2026-01-01' }],
      abolished: [],
      errors: [],
    },
    { fileName: 'test.json', dryRun: false, actor: null },
  );
}

/** The smallest file that is a PDF by its first bytes. */
export const SCAN_PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

export function multipartFile(fileName: string, bytes: Buffer, type = 'application/pdf') {
  const boundary = `----xaso${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function uploadScan(agent: Agent, unit: string, fileName = 'to-khai.pdf', bytes = SCAN_PDF) {
  const token = await agent.csrfToken();
  const { body, contentType } = multipartFile(fileName, bytes);
  return agent.request({
    method: 'POST',
    url: `/api/dossier-uploads?unit=${unit}`,
    payload: body,
    headers: { 'content-type': contentType, 'x-csrf-token': token },
  });
}

export function intakeBody(uploadId: string, overrides: Record<string, unknown> = {}) {
  return {
    receivingUnitCode: '02647',
    procedureCode: TEST_PROCEDURE_CODE,
    channel: 'in_person',
    applicant: {
      name: 'Lò Thị Mai',
      idNumber: '010203004567',
      address: 'Thôn Nà Hỏm, xã Bảo Yên, tỉnh Lào Cai',
      phone: '0912345678',
      email: '',
    },
    components: [
      { position: 1, isProvided: true, digitisation: 'scanned', uploadIds: [uploadId] },
      { position: 2, isProvided: true, digitisation: 'shown_only' },
    ],
    ...overrides,
  };
}

/** A JSON command with a fresh CSRF token and an Idempotency-Key. */
export async function command(agent: Agent, url: string, payload: unknown, key: string) {
  const token = await agent.csrfToken();
  return agent.request({
    method: 'POST',
    url,
    payload: payload as never,
    headers: { 'x-csrf-token': token, 'idempotency-key': key },
  });
}

/** A form post as a browser sends it (urlencoded), with a fresh CSRF token. */
export async function postForm(agent: Agent, url: string, fields: Record<string, string>) {
  const token = await agent.csrfToken();
  return agent.request({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token },
  });
}
