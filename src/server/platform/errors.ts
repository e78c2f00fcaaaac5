import type { ErrorCode } from '../../common/errors.js';
import type { FieldMessageKey } from '../../common/validation.js';

export interface DeniedAudit {
  action: string;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** The record's secrecy rank, so the entry is no clue to readers cleared below it. */
  secrecy?: number | undefined;
}

/**
 * An expected failure with a stable code. The HTTP layer turns it into problem+json with a
 * localized title; `field` marks the input field the message belongs to.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly params: Record<string, unknown> = {},
    readonly field?: string,
    /** Set on permission denials: the error handler records the attempt in the audit trail. */
    readonly denied?: DeniedAudit,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export const notFound = () => new DomainError('not_found', 404);

export const conflict = (code: ErrorCode, params: Record<string, unknown>, field?: string) =>
  new DomainError(code, 409, params, field);

export const invalid = (code: ErrorCode, params: Record<string, unknown> = {}, field?: string) =>
  new DomainError(code, 422, params, field);

export interface FieldProblem {
  /** Dotted path, e.g. `customFields.plant` or `rows.12.creditCode`. */
  field: string;
  key: FieldMessageKey;
  params?: Record<string, unknown>;
}

/** Several field problems found by a service (rules zod cannot know, such as configured lists). */
export class FieldErrors extends DomainError {
  constructor(
    readonly problems: FieldProblem[],
    code: ErrorCode = 'validation_failed',
    params: Record<string, unknown> = {},
    status = 422,
  ) {
    super(code, status, params);
  }
}
