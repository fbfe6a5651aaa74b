// PostgreSQL's COPY text format (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format"): one row
// per line, columns separated by tabs, \N for null, and backslash, tab, newline and carriage return escaped.

/** The tables the generator streams, with their columns in the order of every line it writes. */
export const COPY_TABLES = {
  dossiers: [
    'unit_code', 'code', 'procedure_code', 'procedure_version', 'procedure_name', 'processing_unit_code', 'channel',
    'applicant', 'representative', 'applicant_name', 'applicant_search', 'request_summary', 'sets_count',
    'return_method', 'fees', 'status', 'assigned_to', 'assigned_name', 'filed_at', 'received_at', 'due_at',
    'original_due_at', 'deadline', 'deadline_state', 'deadline_checked_at', 'supplement_requests', 'rescheduled',
    'result_at', 'finished_at', 'returned_at', 'register_book', 'register_number', 'tracking_secret', 'version',
    'created_by', 'updated_at', 'owner_user_id', 'owner_contact', 'eform_answers',
  ],
  dossier_actions: [
    'unit_code', 'dossier_code', 'seq', 'action', 'status_after', 'at', 'actor_id', 'actor_name', 'actor_role',
    'acting_unit_code', 'transaction_id', 'details',
  ],
  dossier_commands: ['unit_code', 'transaction_id', 'dossier_code', 'action', 'actor_id', 'created_at'],
  dossier_components: ['unit_code', 'dossier_code', 'position', 'is_provided', 'digitisation'],
  dossier_files: [
    'unit_code', 'id', 'dossier_code', 'kind', 'component_position', 'file_name', 'media_type', 'size_bytes',
    'sha256', 'uploaded_at', 'uploaded_by',
  ],
  dossier_ratings: ['unit_code', 'dossier_code', 'rating', 'comment', 'channel', 'rated_at'],
} as const; // prettier-ignore

export type CopyTable = keyof typeof COPY_TABLES;
export const COPY_TABLE_NAMES = Object.keys(COPY_TABLES) as CopyTable[];

export function copyStatement(table: CopyTable): string {
  return `copy ${table} (${COPY_TABLES[table].join(', ')}) from stdin`;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** A text value as COPY reads it. */
export function text(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

export const NULL = '\\N';

export function nullableText(value: string | null | undefined): string {
  return value === null || value === undefined ? NULL : text(value);
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/**
 * A timestamptz from epoch milliseconds, as Date.toISOString writes it (UTC, to the millisecond), without making a
 * Date: the generator writes a dozen of these per dossier.
 */
export function time(ms: number | null): string {
  if (ms === null) return NULL;
  const t = Math.floor(ms);
  const day = Math.floor(t / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = t - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}

/** JSON for a json/jsonb column. JSON.stringify escapes control characters, so only backslashes need doubling. */
export function json(value: unknown): string {
  if (value === null || value === undefined) return NULL;
  const encoded = JSON.stringify(value);
  return encoded.includes('\\') ? encoded.replaceAll('\\', '\\\\') : encoded;
}

// Characters JSON must escape: the quote, the backslash and the control characters.
// eslint-disable-next-line no-control-regex
const JSON_SPECIAL = /["\\\u0000-\u001f]/;

/** A JSON string literal, ready for COPY (the common case, nothing to escape, without JSON.stringify). */
export function jsonString(value: string): string {
  return JSON_SPECIAL.test(value) ? json(value) : `"${value}"`;
}

export function bool(value: boolean): string {
  return value ? 't' : 'f';
}

export function int(value: number | null): string {
  return value === null ? NULL : String(value);
}
