// One error type with a code vocabulary (STYLE.md habit 7). The HTTP edge maps each code to a status and to a
// Vietnamese message from the catalogue; production never shows a stack.
import type { MessageKey, Translate } from './i18n/index.ts';
export const ERROR_STATUS = {
  /** The request body, query or parameters do not match the schema; details name the fields. */
  VALIDATION_FAILED: 400,
  /** The request needs a signed-in user and there is none (or the session ended). */
  NOT_AUTHENTICATED: 401,
  /** Username or password is wrong, or the account is locked. Never says which. */
  INVALID_CREDENTIALS: 401,
  /** The user is signed in but no role they hold allows this action. */
  FORBIDDEN: 403,
  /** The user's roles allow the action, but not at this administrative unit; the attempt is audited. */
  UNIT_ACCESS_DENIED: 403,
  /** A form or state-changing API call came without a valid CSRF token. */
  CSRF_INVALID: 403,
  /** A role was to be granted at a unit outside the granter's own units. */
  ROLE_GRANT_OUTSIDE_UNIT: 403,
  /** The granter may not grant this role at all (e.g. a province administrator granting system_admin). */
  ROLE_NOT_GRANTABLE: 403,
  /** Nothing is at this address. */
  NOT_FOUND: 404,
  /** No administrative unit has this code. */
  ADMIN_UNIT_NOT_FOUND: 404,
  /** No user has this id. */
  USER_NOT_FOUND: 404,
  /** No active role grant has this id. */
  ROLE_GRANT_NOT_FOUND: 404,
  /** No procedure has this code (or this version). */
  PROCEDURE_NOT_FOUND: 404,
  /** The province has no working calendar (it is created at start-up). */
  CALENDAR_NOT_FOUND: 404,
  /** The date is already in the calendar's list. */
  CALENDAR_DAY_EXISTS: 409,
  /** The date is not in the calendar's list. */
  CALENDAR_DAY_NOT_FOUND: 404,
  /** No dossier has this code (or the tracking code does not match it). */
  DOSSIER_NOT_FOUND: 404,
  /** The dossier's status does not accept this action; details list the actions it does accept. */
  DOSSIER_ACTION_NOT_ALLOWED: 409,
  /** The actor's roles at the dossier's unit do not include one that may take this action. */
  DOSSIER_ROLE_NOT_ALLOWED: 403,
  /** The dossier has no event yet that this form (Mẫu 01–06) records, e.g. no receipt for a refused dossier. */
  DOSSIER_FORM_NOT_AVAILABLE: 409,
  /** The applicant's rating is refused: the result is not returned yet, or the dossier was rated already. */
  DOSSIER_RATING_REFUSED: 409,
  /** A PAKN step its status does not allow (answering twice, publishing before answering). */
  FEEDBACK_STEP_NOT_ALLOWED: 409,
  /** Someone else changed the dossier after the form was shown (its version moved on): reload and decide again. */
  DOSSIER_CHANGED: 409,
  /** The one rescheduling (Mẫu 04) was already used, or the new date is not later, or no reason was given. */
  DOSSIER_RESCHEDULE_REFUSED: 409,
  /** A client transaction id was reused for a different command. */
  DOSSIER_TRANSACTION_REUSED: 422,
  /** No file with this id belongs to the dossier (or the upload to the counter). */
  DOSSIER_FILE_NOT_FOUND: 404,
  /** An uploaded file is not a PDF, JPEG or PNG by its content, or is empty. */
  UPLOAD_TYPE_NOT_ALLOWED: 415,
  /** An uploaded file is larger than the configured limit. */
  UPLOAD_TOO_LARGE: 413,
  /** The procedure's workflow definition is not usable; details list why. */
  WORKFLOW_INVALID: 422,
  /** A one-time code is wrong, expired or used up; details say which. */
  ONE_TIME_CODE_INVALID: 422,
  /** The draft does not exist or does not belong to the person asking. */
  DRAFT_NOT_FOUND: 404,
  /** The signing key cannot be used: a PKCS#12 file with a wrong password or no key, a token absent or locked. */
  SIGNING_KEY_UNAVAILABLE: 503,
  /** The time-stamping authority did not answer, refused, or answered for another request. */
  TIMESTAMP_UNAVAILABLE: 503,
  /** A file given as a PDF is not one, or cannot take a signature (encrypted, damaged). */
  PDF_INVALID: 422,
  /** A PDF sent to be verified is larger than the upload limit (config maxUploadBytes). */
  PDF_TOO_LARGE: 413,
  /** No trusted root certificate has this id (or it was removed already). */
  TRUSTED_ROOT_NOT_FOUND: 404,
  /** The signer's certificate cannot sign now: not yet valid, expired, or without the signing key usage. */
  SIGNING_CERTIFICATE_INVALID: 422,
  /** A signature was made but did not verify (digest, value, binding or trust): it was not kept. */
  SIGNING_NOT_VERIFIED: 500,
  /** The username is already used by another account. */
  USERNAME_TAKEN: 409,
  /** The same role is already granted to this user at this unit. */
  ROLE_ALREADY_GRANTED: 409,
  /** A citizen role cannot be tied to a unit, and a staff role must be. */
  ROLE_UNIT_MISMATCH: 422,
  /** Too many failed sign-ins for this account or address in the window; try later. */
  LOGIN_THROTTLED: 429,
  /** The request body is larger than allowed. */
  PAYLOAD_TOO_LARGE: 413,
  /** The database is unreachable or its schema is behind; the process should not take traffic. */
  NOT_READY: 503,
  /** More requests are in flight than the server takes at once: the answer says when to try again (Retry-After). */
  SERVER_BUSY: 503,
  /** A caller asked the outbox for a message with a bad destination, an unknown template or a missing parameter (a programming error; the caller's transaction rolls back). */
  NOTIFICATION_REQUEST_INVALID: 500,
  /** Anything unexpected; logged with the request id. */
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldProblem {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: Record<string, unknown> = {},
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The error's message from the catalogue (`error.{code}`), in the translator's language, with its details filled in. */
export function errorMessage(t: Translate, error: AppError): string {
  const params = Object.fromEntries(
    Object.entries(error.details).flatMap(([k, v]) =>
      typeof v === 'string' || typeof v === 'number' ? [[k, v]] : [],
    ),
  );
  return t(`error.${error.code}` as MessageKey, params);
}
