/**
 * Expected failures of a decision, each with a stable machine code. The HTTP edge
 * maps codes to statuses in one place; consumers map them to dead-letter reasons.
 */
export const DOMAIN_ERROR_CODES = [
  'not_found',
  'validation_failed',
  'handle_taken',
  'immutable_field',
  'wrong_group_type',
  'group_archived',
  'group_expired',
  'not_a_member',
  'rule_definition_in_use',
  'rule_not_found',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** Field path -> messages, in the shape of API.md's 422 body. */
export type FieldErrors = Record<string, string[]>;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fieldErrors: FieldErrors = {},
    /** Machine codes of the problems at some of those paths (rule issues). */
    readonly fieldCodes: FieldErrors = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(fieldErrors: FieldErrors, fieldCodes: FieldErrors = {}): DomainError {
    const first = Object.values(fieldErrors)[0]?.[0] ?? 'The given data was invalid.';

    return new DomainError('validation_failed', first, fieldErrors, fieldCodes);
  }
}
