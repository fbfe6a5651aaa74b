import { Type, type Static } from '@sinclair/typebox';

const optionalText = (maxLength: number) => Type.Optional(Type.String({ maxLength }));

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});

export const LoginForm = Type.Object({
  username: optionalText(100),
  password: optionalText(200),
  next: optionalText(500),
  _csrf: optionalText(200),
});
export type LoginForm = Static<typeof LoginForm>;

export const GrantSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  role: Type.String(),
  unitCode: Type.Union([Type.String(), Type.Null()]),
  grantedAt: Type.String({ format: 'date-time' }),
});

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    fullName: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    isActive: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    grants: Type.Array(GrantSchema),
  },
  { $id: 'User' },
);

export const NewUserBody = Type.Object({
  username: Type.String({ maxLength: 100 }),
  fullName: Type.String({ maxLength: 200 }),
  email: optionalText(200),
  phone: optionalText(30),
  password: Type.String({ maxLength: 200 }),
  role: Type.String({ maxLength: 50 }),
  unitCode: Type.String({ maxLength: 10 }),
});

export const NewUserForm = Type.Object({
  username: optionalText(100),
  fullName: optionalText(200),
  email: optionalText(200),
  phone: optionalText(30),
  password: optionalText(200),
  role: optionalText(50),
  unitCode: optionalText(10),
  _csrf: optionalText(200),
});
export type NewUserForm = Static<typeof NewUserForm>;

export const GrantBody = Type.Object({
  role: Type.String({ maxLength: 50 }),
  unitCode: Type.String({ maxLength: 10 }),
});

export const GrantForm = Type.Object({
  role: optionalText(50),
  unitCode: optionalText(10),
  _csrf: optionalText(200),
});

export const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const GrantParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  grantId: Type.String({ format: 'uuid' }),
});
export const UnitCodeParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{2}([0-9]{3})?$' }) });
export const NoticeQuery = Type.Object({ 'thong-bao': optionalText(50), next: optionalText(500) });

export const AuditEntrySchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorName: Type.Union([Type.String(), Type.Null()]),
  unitCode: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});
