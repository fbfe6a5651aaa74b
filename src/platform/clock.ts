// Domain code never calls `new Date()`: it takes a Clock, so tests can fix time (DESIGN.md, "Time").
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date(Date.now()) };

export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current.getTime()),
    set: (next) => {
      current = new Date(next);
    },
  };
}

const VIETNAM_TIME = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hourCycle: 'h23',
});

/** "hh:mm dd/mm/yyyy" in Vietnam time, the form the legal forms (Mẫu 01-07) use. */
export function formatVietnamDateTime(at: Date): string {
  const parts = Object.fromEntries(VIETNAM_TIME.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute} ${parts.day}/${parts.month}/${parts.year}`;
}

/**
 * "2026-12-01T09:15:30+07:00": ISO 8601 in Vietnam time, to the second (the signing time on electronic copies, QĐ
 * 144/2025 Điều 13). Vietnam keeps UTC+7 all year, so the offset is fixed.
 */
export function formatVietnamIso(at: Date): string {
  return `${new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}
