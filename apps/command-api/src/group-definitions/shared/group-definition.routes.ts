import { ApiHeader, ApiParam, ApiQuery } from '@nestjs/swagger';

import { PathSegment } from '../../http/validation/path-segment.pipe';
import { parseGroupReference } from './group-reference';

/** Path of the group definitions resource, under the global `/api` prefix. */
export const GROUP_DEFINITIONS_PATH = 'v3/groups/definitions';
export const GROUP_DEFINITIONS_TAG = 'group definitions';

export function ApiGroupParam() {
  return ApiParam({
    name: 'group',
    description:
      'Numeric id or handle of the group definition; a segment that can be neither answers 422.',
    example: 'vip-customers',
  });
}

/** `{group}`: a segment that can be neither an id nor a handle is a 422. */
export const GroupSegment = PathSegment(
  'group',
  (segment) => (parseGroupReference(segment) === null ? null : segment),
  'The group must be a numeric id from 1, or a handle: up to 255 letters, digits, ".", "_" ' +
    'and "-", starting with a letter or digit and not all digits.',
);

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
