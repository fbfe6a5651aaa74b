// Pure: a procedure's e-form (a JSON Schema of an object, carried by the catalogue's imports) as question pages in
// the style of the GOV.UK design system: one topic per page, plain Vietnamese, every answer checked on the server
// with a message next to the field. The subset read: type (string, integer, number, boolean, object), title,
// description, enum (with x-enumNames or oneOf const/title), format date and email, minLength, maxLength, pattern,
// minimum, maximum, required; nested objects are one page each. Anything else in the schema is ignored, never
// guessed at.

export interface EFormField {
  /** The answer's path, e.g. "child.fullName". */
  name: string;
  label: string;
  hint: string | null;
  kind: 'text' | 'textarea' | 'date' | 'email' | 'integer' | 'number' | 'choice' | 'yes_no';
  required: boolean;
  options: { value: string; label: string }[];
  minLength?: number | undefined;
  maxLength?: number | undefined;
  pattern?: string | undefined;
  minimum?: number | undefined;
  maximum?: number | undefined;
}

export interface EFormPage {
  /** URL segment: the property's name. */
  slug: string;
  title: string;
  hint: string | null;
  fields: EFormField[];
}

type Schema = Record<string, unknown>;

/** Procedures without an e-form ask for the request in the applicant's words. */
export const DEFAULT_EFORM: Schema = {
  type: 'object',
  required: ['requestSummary'],
  properties: {
    requestSummary: {
      type: 'string',
      title: 'Nội dung yêu cầu giải quyết',
      description: 'Ghi ngắn gọn việc bạn đề nghị cơ quan giải quyết, ví dụ: đăng ký khai sinh cho con.',
      minLength: 5,
      maxLength: 2000,
      'x-multiline': true,
    },
  },
};

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function fieldOf(name: string, schema: Schema, required: boolean): EFormField | null {
  const label = text(schema.title) ?? name;
  const hint = text(schema.description);
  const base = { name, label, hint, required, options: [] as { value: string; label: string }[] };
  const enumValues = Array.isArray(schema.enum) ? schema.enum.map(String) : null;
  const oneOf = Array.isArray(schema.oneOf) ? (schema.oneOf as Schema[]) : null;
  if (enumValues || (oneOf && oneOf.every((o) => 'const' in o))) {
    const names = Array.isArray(schema['x-enumNames'])
      ? (schema['x-enumNames'] as unknown[]).map(String)
      : [];
    const options = enumValues
      ? enumValues.map((value, i) => ({ value, label: names[i] ?? value }))
      : oneOf!.map((o) => ({ value: String(o.const), label: text(o.title) ?? String(o.const) }));
    return { ...base, kind: 'choice', options };
  }
  switch (schema.type) {
    case 'string':
      return {
        ...base,
        kind:
          schema.format === 'date'
            ? 'date'
            : schema.format === 'email'
              ? 'email'
              : schema['x-multiline'] === true || Number(schema.maxLength ?? 0) > 300
                ? 'textarea'
                : 'text',
        minLength: typeof schema.minLength === 'number' ? schema.minLength : undefined,
        maxLength: typeof schema.maxLength === 'number' ? schema.maxLength : undefined,
        pattern: typeof schema.pattern === 'string' ? schema.pattern : undefined,
      };
    case 'integer':
    case 'number':
      return {
        ...base,
        kind: schema.type,
        minimum: typeof schema.minimum === 'number' ? schema.minimum : undefined,
        maximum: typeof schema.maximum === 'number' ? schema.maximum : undefined,
      };
    case 'boolean':
      return {
        ...base,
        kind: 'yes_no',
        options: [
          { value: 'true', label: 'Có' },
          { value: 'false', label: 'Không' },
        ],
      };
    default:
      return null;
  }
}

/** The question pages of an e-form: each object property is a page; each other property a page of its own. */
export function eFormPages(schema: Schema | null): EFormPage[] {
  const form = schema ?? DEFAULT_EFORM;
  const properties = (form.properties ?? {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(form.required) ? form.required.map(String) : []);
  const pages: EFormPage[] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (property.type === 'object') {
      const inner = (property.properties ?? {}) as Record<string, Schema>;
      const innerRequired = new Set(Array.isArray(property.required) ? property.required.map(String) : []);
      const fields = Object.entries(inner).flatMap(([key, s]) => {
        const field = fieldOf(`${name}.${key}`, s, innerRequired.has(key));
        return field ? [field] : [];
      });
      if (fields.length > 0)
        pages.push({
          slug: name,
          title: text(property.title) ?? name,
          hint: text(property.description),
          fields,
        });
      continue;
    }
    const field = fieldOf(name, property, required.has(name));
    if (field)
      pages.push({ slug: name, title: field.label, hint: field.hint, fields: [{ ...field, hint: null }] });
  }
  return pages;
}

export type Answers = Record<string, string | number | boolean>;

/** Reads one page's form fields; the answers in their types, or a Vietnamese message per field. */
export function readPage(
  page: EFormPage,
  raw: Record<string, string | undefined>,
): { answers: Answers; errors: { field: string; message: string }[] } {
  const answers: Answers = {};
  const errors: { field: string; message: string }[] = [];
  for (const f of page.fields) {
    const value = (raw[f.name] ?? '').trim();
    const fail = (message: string) => errors.push({ field: f.name, message });
    if (value === '') {
      if (f.required)
        fail(
          f.kind === 'choice' || f.kind === 'yes_no'
            ? `Chọn một câu trả lời cho “${f.label}”.`
            : `Nhập “${f.label}”: câu hỏi này bắt buộc.`,
        );
      continue;
    }
    switch (f.kind) {
      case 'integer':
      case 'number': {
        const n = Number(value.replace(',', '.'));
        if (!Number.isFinite(n) || (f.kind === 'integer' && !Number.isInteger(n))) {
          fail(`“${f.label}” phải là ${f.kind === 'integer' ? 'số nguyên' : 'một số'}, ví dụ 2.`);
          break;
        }
        if ((f.minimum !== undefined && n < f.minimum) || (f.maximum !== undefined && n > f.maximum)) {
          fail(`“${f.label}” phải từ ${f.minimum ?? '…'} đến ${f.maximum ?? '…'}.`);
          break;
        }
        answers[f.name] = n;
        break;
      }
      case 'yes_no':
        if (value !== 'true' && value !== 'false') fail(`Chọn Có hoặc Không cho “${f.label}”.`);
        else answers[f.name] = value === 'true';
        break;
      case 'choice':
        if (!f.options.some((o) => o.value === value))
          fail(`Chọn một trong các câu trả lời của “${f.label}”.`);
        else answers[f.name] = value;
        break;
      case 'date': {
        const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
        const date = match ? new Date(`${value}T00:00:00Z`) : null;
        if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
          fail(`“${f.label}” phải là một ngày có thật, ví dụ 20/11/2026.`);
        else answers[f.name] = value;
        break;
      }
      case 'email':
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
          fail(`“${f.label}” không đúng dạng thư điện tử, ví dụ ten@gmail.com.`);
        else answers[f.name] = value;
        break;
      default:
        if (f.minLength !== undefined && value.length < f.minLength)
          fail(`“${f.label}” cần ít nhất ${f.minLength} ký tự.`);
        else if (f.maxLength !== undefined && value.length > f.maxLength)
          fail(`“${f.label}” dài quá ${f.maxLength} ký tự.`);
        else if (f.pattern !== undefined && !safePattern(f.pattern).test(value))
          fail(`“${f.label}” không đúng định dạng yêu cầu.`);
        else answers[f.name] = value;
    }
  }
  return { answers, errors };
}

function safePattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return /.*/u;
  }
}

/** The pages whose required questions are not all answered yet (the summary lists them before submitting). */
export function unansweredPages(pages: EFormPage[], answers: Answers): EFormPage[] {
  return pages.filter((p) => p.fields.some((f) => f.required && answers[f.name] === undefined));
}

/** An answer as the summary shows it. */
export function answerText(field: EFormField, value: string | number | boolean | undefined): string {
  if (value === undefined) return '—';
  if (field.kind === 'yes_no') return value ? 'Có' : 'Không';
  if (field.kind === 'choice')
    return field.options.find((o) => o.value === String(value))?.label ?? String(value);
  if (field.kind === 'date' && typeof value === 'string') return value.split('-').reverse().join('/');
  return String(value);
}
