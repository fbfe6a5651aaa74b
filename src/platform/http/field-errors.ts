// A validation error's field problems as messages a person reads, next to each field: the API's error shape and
// every page that re-shows a form with its errors use this one mapping.
import { isAppError, type AppError } from '../errors.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';

export interface FieldMessage {
  field: string;
  message: string;
}

interface FieldProblem {
  field: string;
  /** A message key (service validation)… */
  key?: MessageKey;
  params?: Record<string, string | number>;
  /** …or the schema validator's reason. */
  reason?: string;
}

/** The localised field problems of an AppError's details (an empty list when it has none). */
export function localiseFields(error: AppError, t: Translate): FieldMessage[] {
  const fields = error.details.fields;
  if (!Array.isArray(fields)) return [];
  return (fields as FieldProblem[]).map((f) => ({
    field: f.field,
    message: f.key ? t(f.key, f.params) : t('validation.generic', { field: f.field, reason: f.reason ?? '' }),
  }));
}

/** The field messages when `error` is a validation error with fields; undefined for any other error (re-throw it). */
export function validationFieldErrors(error: unknown, t: Translate): FieldMessage[] | undefined {
  if (!isAppError(error) || error.code !== 'VALIDATION_FAILED' || !Array.isArray(error.details.fields))
    return undefined;
  return localiseFields(error, t);
}
