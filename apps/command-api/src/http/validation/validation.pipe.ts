import { ValidationPipe } from '@nestjs/common';
import { type ValidationError } from 'class-validator';

import { RequestValidationError } from '../errors/api-errors';
import { elementCheck } from './field.decorators';

/** At most this many fields are listed in one 422; a huge bad list stays readable. */
const MAX_FIELD_ERRORS = 100;

/**
 * The global pipe: unknown properties are refused, values are transformed by their
 * DTO (never by implicit conversion, which turns "false" into true), and failures
 * become a RequestValidationError with dotted field paths.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validateCustomDecorators: true,
    exceptionFactory: (errors: ValidationError[]) =>
      new RequestValidationError(fieldErrorsOf(errors)),
  });
}

export function fieldErrorsOf(errors: ValidationError[]): Record<string, string[]> {
  // A Map, since a refused property may be named `__proto__`.
  const collected = new Map<string, string[]>();
  const add = (path: string, message: string) => {
    if (!collected.has(path) && collected.size >= MAX_FIELD_ERRORS) return;
    collected.set(path, [...(collected.get(path) ?? []), message]);
  };
  const visit = (error: ValidationError, parent: string) => {
    const path = parent === '' ? error.property : `${parent}.${error.property}`;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const check = elementCheck(constraint);
      if (check !== undefined && Array.isArray(error.value)) {
        error.value.forEach((item, index) => {
          const problem = check(item);
          if (problem !== null) add(`${path}.${index}`, problem);
        });
      } else {
        add(
          path,
          constraint === 'whitelistValidation' ? `The ${path} field is not allowed.` : message,
        );
      }
    }
    for (const child of error.children ?? []) visit(child, path);
  };
  errors.forEach((error) => visit(error, ''));

  return Object.fromEntries(collected);
}
