// Pure: when a message that failed is tried again, and when the outbox gives up. The administrators' page states
// the same schedule in words (notification.admin.intro): change both together.

/** The 6th failed attempt is final: the row becomes `failed` with its last error. */
export const MAX_ATTEMPTS = 6;

const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;

/** Rows claimed by one delivery run. */
export const BATCH_SIZE = 50;

/** Messages of a batch sent at the same time (an SMTP server that hangs costs at most its timeouts per message). */
export const SEND_CONCURRENCY = 10;

/**
 * How long a claimed row belongs to the run that claimed it. A run that died (the process stopped) leaves rows in
 * `sending`; after the lease another run takes them again. It must outlast a batch: 50 messages, 10 at a time, each
 * bounded by the SMTP timeouts (10 s to connect, 10 s for the greeting, 30 s of silence).
 */
export const LEASE_MS = 10 * 60_000;

/** The wait before the next attempt after `attempts` failed ones: 30 s × 2^(attempts−1), at most 1 hour. */
export function retryDelayMs(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new RangeError(`attempts must be ≥ 1, got ${attempts}`);
  return Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS);
}

export type AttemptOutcome = { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };

/** What becomes of a row whose attempt number `attempts` (1-based, counted at the claim) failed at `now`. */
export function afterFailure(attempts: number, now: Date): AttemptOutcome {
  if (attempts >= MAX_ATTEMPTS) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) };
}
