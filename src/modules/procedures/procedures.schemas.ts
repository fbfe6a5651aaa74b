import { Type } from '@sinclair/typebox';

export const CODE_PATTERN = '^[0-9]\\.[0-9]{6}(\\.[0-9A-Z]+)*$';

export const ProcedureCodeParams = Type.Object({
  code: Type.String({
    pattern: CODE_PATTERN,
    description: 'Mã thủ tục, ví dụ 1.001193 hoặc 2.000908.000.00.00.H61',
  }),
});

export const CatalogueQuery = Type.Object({
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'Tên hoặc mã; không phân biệt dấu, chịu được lỗi gõ' }),
  ),
  field: Type.Optional(Type.String({ maxLength: 200 })),
  level: Type.Optional(Type.Union(['xa', 'tinh', 'bo', 'khac'].map((l) => Type.Literal(l)))),
  onlineServiceLevel: Type.Optional(
    Type.Union(['toan_trinh', 'mot_phan', 'none'].map((l) => Type.Literal(l))),
  ),
  unit: Type.Optional(
    Type.String({ pattern: '^[0-9]{5}$', description: 'Chỉ các thủ tục trung tâm của xã này tiếp nhận' }),
  ),
  incomplete: Type.Optional(
    Type.Boolean({ description: 'Chỉ các thủ tục công khai thiếu bộ phận bắt buộc (chỉ số 1.3 của QĐ 766)' }),
  ),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
});

export const CatalogueItemSchema = Type.Object({
  code: Type.String(),
  baseCode: Type.String(),
  name: Type.String(),
  field: Type.String(),
  levels: Type.Array(Type.String()),
  onlineServiceLevel: Type.Union([Type.String(), Type.Null()]),
  currentVersion: Type.Integer(),
  hasUnparsedRules: Type.Boolean(),
  missingComponents: Type.Array(Type.String()),
});

export const CataloguePageSchema = Type.Object({
  items: Type.Array(CatalogueItemSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const ProcedureSchema = Type.Object({
  code: Type.String(),
  currentVersion: Type.Integer(),
  version: Type.Integer(),
  effectiveFrom: Type.String({ format: 'date' }),
  withdrawnAt: Type.Union([Type.String(), Type.Null()]),
  missingComponents: Type.Array(Type.String()),
  hasUnparsedRules: Type.Boolean(),
  record: Type.Record(Type.String(), Type.Unknown(), {
    description: 'ProcedureRecord (src/modules/procedures/procedure-record.ts)',
  }),
});

export const VersionParams = Type.Object({
  code: Type.String({ pattern: CODE_PATTERN }),
  version: Type.Integer({ minimum: 1 }),
});

export const OfferingsBody = Type.Object({
  enable: Type.Array(Type.String({ pattern: CODE_PATTERN }), { default: [], maxItems: 2000 }),
  disable: Type.Array(Type.String({ pattern: CODE_PATTERN }), { default: [], maxItems: 2000 }),
});

export const UnitParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{5}$' }) });

export const ImportReportSchema = Type.Object({
  importId: Type.String(),
  fileName: Type.String(),
  format: Type.String(),
  dryRun: Type.Boolean(),
  status: Type.String(),
  rows: Type.Integer(),
  created: Type.Integer(),
  newVersions: Type.Integer(),
  unchanged: Type.Integer(),
  withdrawn: Type.Integer(),
  flagged: Type.Array(
    Type.Object({ row: Type.Integer(), code: Type.String(), problems: Type.Array(Type.String()) }),
  ),
  errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), reason: Type.String() })),
});
