import { type PipeTransform } from '@nestjs/common';

import { RequestValidationError } from '../errors/api-errors';

/**
 * A path parameter checked at the edge, before any lookup: a segment that can name
 * nothing (`{profile}` of 129 characters, `{rule}` that is not a number) answers 422
 * with the parameter as the field, like a bad body field, instead of a 404 from a
 * search that could not succeed. A well-formed id that names nothing stays a 404.
 */
export function PathSegment<T>(
  name: string,
  parse: (segment: string) => T | null,
  problem: string,
): PipeTransform<string, T> {
  return {
    transform: (segment: string) => {
      const parsed = parse(segment);
      if (parsed === null) throw new RequestValidationError({ [name]: [problem] });

      return parsed;
    },
  };
}
