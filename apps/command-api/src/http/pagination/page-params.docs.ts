import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-query.dto';

export function ApiPageParams() {
  return applyDecorators(
    ApiQuery({
      name: 'page[size]',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
    }),
    ApiQuery({
      name: 'page[number]',
      required: false,
      schema: { type: 'integer', minimum: 1, default: 1 },
    }),
  );
}
