import { Type, type Static } from '@sinclair/typebox';

export const AdminUnitSchema = Type.Object(
  {
    code: Type.String({ description: 'Mã đơn vị: tỉnh 2 chữ số, xã 5 chữ số (QĐ 19/2025/QĐ-TTg)' }),
    level: Type.Union([Type.Literal('province'), Type.Literal('commune')]),
    type: Type.Union(['tinh', 'thanh_pho', 'xa', 'phuong', 'dac_khu'].map((t) => Type.Literal(t))),
    parentCode: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    fullName: Type.String(),
    nameEn: Type.String(),
    fullNameEn: Type.String(),
    validFrom: Type.String({ format: 'date' }),
    legalBasis: Type.String(),
  },
  { $id: 'AdminUnit' },
);

export const UnitSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Tên hoặc mã; không phân biệt dấu' })),
  level: Type.Optional(Type.Union([Type.Literal('province'), Type.Literal('commune')])),
  province: Type.Optional(Type.String({ pattern: '^[0-9]{2}$', description: 'Chỉ các xã của tỉnh này' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 5000, default: 50 }),
});
export type UnitSearchQuery = Static<typeof UnitSearchQuery>;

export const UnitPage = Type.Object({
  items: Type.Array(Type.Ref('AdminUnit')),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const UnitCodeParams = Type.Object({
  code: Type.String({
    pattern: '^[0-9]{2}([0-9]{3})?$',
    description: 'Mã tỉnh (2 chữ số) hoặc mã xã (5 chữ số)',
  }),
});

export const PageQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  tinh: Type.Optional(Type.String({ maxLength: 2 })),
  trang: Type.Optional(Type.String({ maxLength: 6 })),
});
