import { ApiHeader, ApiParam } from '@nestjs/swagger';

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
    description: 'Stream version the write expects; a mismatch answers 409.',
  });
}
