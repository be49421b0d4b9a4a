import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { Allow, IsObject, ValidateBy, ValidateIf } from 'class-validator';

import { isNormalizedTimestamp, normalizeTimestamp } from './input-values';

/** Per-element checks, by constraint name, that the error mapper expands to `field.<index>`. */
const ELEMENT_CHECKS = new Map<string, (item: unknown) => string | null>();

export function elementCheck(constraint: string): ((item: unknown) => string | null) | undefined {
  return ELEMENT_CHECKS.get(constraint);
}

/**
 * Checks every element of an array; failures are reported per element, e.g.
 * `profile_ids.3`, which class-validator's `each` option cannot do for primitives.
 */
export function EachItem(constraint: string, check: (item: unknown) => string | null) {
  ELEMENT_CHECKS.set(constraint, check);

  return ValidateBy({
    name: constraint,
    validator: {
      validate: (value: unknown) =>
        !Array.isArray(value) || value.every((item) => check(item) === null),
      defaultMessage: () => 'Some elements are invalid.',
    },
  });
}

/**
 * A free-form JSON object (a rule, `meta`, `arguments`): kept exactly as sent. The
 * transform returns the original value, so neither whitelisting nor class-transformer
 * rewrites keys nested inside it.
 */
export function FreeFormObject() {
  return applyDecorators(
    Transform(({ obj, key }) => (obj as Record<string, unknown>)[key]),
    IsObject({ message: ({ property }) => `The ${property} field must be a JSON object.` }),
  );
}

/**
 * Any JSON value kept exactly as sent (a JSONLogic rule may be an object, an array or a
 * scalar). Its own validator judges it later; whitelisting must not touch its keys,
 * or an emptied rule would be truthy for everyone.
 */
export function FreeFormValue() {
  return applyDecorators(
    Transform(({ obj, key }) => (obj as Record<string, unknown>)[key]),
    Allow(),
  );
}

/** An input timestamp, stored as ISO 8601 UTC. */
export function IsTimestamp() {
  return applyDecorators(
    Transform(({ value }) => normalizeTimestamp(value)),
    ValidateBy({
      name: 'isTimestamp',
      validator: {
        validate: isNormalizedTimestamp,
        defaultMessage: (args) =>
          `The ${args?.property ?? 'given'} field must be an ISO 8601 or YYYY-MM-DD HH:MM:SS timestamp.`,
      },
    }),
  );
}

/** Validates the field when it is present; null is refused (unlike `@IsOptional`). */
export function UnlessAbsent() {
  return ValidateIf((_object, value) => value !== undefined);
}
