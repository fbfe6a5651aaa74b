// Pure: the dossier code (mã hồ sơ) and the tracking secret printed on the receipt.
//
// TT 03/2025/TT-VPCP Art. 13 and TT 04/2025/TT-VPCP define the national format, whose text is still an open question
// (DOMAIN.md §1). Until it is known, xaso follows the shape of the codes the provincial systems issued under
// TT 01/2018/TT-VPCP: the receiving unit, the date of filing, a sequence of that unit and day:
//   {receiving unit's 5-digit code}-{yymmdd, Vietnam time}-{sequence, at least 4 digits}   e.g. 02647-261201-0001
// The code is unique across the province (the unit part) and readable over the phone.
import crypto from 'node:crypto';

const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** The civil date in Vietnam time as YYYY-MM-DD. */
export function vietnamDate(at: Date): string {
  return new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

export function formatDossierCode(unitCode: string, filedAt: Date, sequence: number): string {
  const date = vietnamDate(filedAt);
  return `${unitCode}-${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}-${String(sequence).padStart(4, '0')}`;
}

const CODE_PATTERN = /^(\d{5})-(\d{6})-(\d{4,})$/;

export function isDossierCode(value: string): boolean {
  return CODE_PATTERN.test(value);
}

/** The receiving unit a dossier code names (the owner of its rows). */
export function unitOfDossierCode(code: string): string | null {
  return CODE_PATTERN.exec(code)?.[1] ?? null;
}

// No 0/O, 1/I/L: read aloud or typed from paper without mistakes.
export const SECRET_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Six characters (31^6 ≈ 887 million): with the code it opens the tracking page; guessing one is hopeless. */
export function newTrackingSecret(): string {
  const bytes = crypto.randomBytes(6);
  return [...bytes].map((b) => SECRET_ALPHABET[b % SECRET_ALPHABET.length]).join('');
}

/** Compares without leaking timing; case and spaces as people type them are forgiven. */
export function trackingSecretMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given.replace(/\s+/g, '').toUpperCase());
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
