import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { type PageRequest } from '@profile-groups/read-models';

import { parseQueryInteger } from '../validation/input-values';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 500;

/** `page[size]` and `page[number]`, named as they appear in the query string. */
export class PageQuery {
  @IsOptional()
  @Transform(({ value }) => parseQueryInteger(value))
  @IsInt({ message: 'The page[size] field must be a whole number.' })
  @Min(1, { message: 'The page[size] field must be at least 1.' })
  @Max(MAX_PAGE_SIZE, { message: `The page[size] field must not exceed ${MAX_PAGE_SIZE}.` })
  'page[size]'?: number;

  @IsOptional()
  @Transform(({ value }) => parseQueryInteger(value))
  @IsInt({ message: 'The page[number] field must be a whole number.' })
  @Min(1, { message: 'The page[number] field must be at least 1.' })
  'page[number]'?: number;
}

export function pageRequestOf(query: PageQuery): PageRequest {
  return { size: query['page[size]'] ?? DEFAULT_PAGE_SIZE, number: query['page[number]'] ?? 1 };
}
