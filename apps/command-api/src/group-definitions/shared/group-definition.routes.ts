import { ApiHeader, ApiParam, ApiQuery } from '@nestjs/swagger';

/** Path of the group definitions resource, under the global `/api` prefix. */
export const GROUP_DEFINITIONS_PATH = 'v3/groups/definitions';
export const GROUP_DEFINITIONS_TAG = 'group definitions';

export function ApiGroupParam() {
  return ApiParam({
    name: 'group',
    description: 'Numeric id or handle of the group definition.',
    example: 'vip-customers',
  });
}

export function ApiIfMatch() {
  return ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'Stream version the write expects; a mismatch answers 409. Without it, a write that ' +
      'meets a concurrent one is re-run on the fresh state and lands.',
  });
}

export function ApiMinVersion() {
  return ApiQuery({
    name: 'min_version',
    required: false,
    type: 'integer',
    description: 'Wait briefly until the read model has reached this version.',
  });
}
