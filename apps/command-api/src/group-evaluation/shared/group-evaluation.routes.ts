import { ApiParam } from '@nestjs/swagger';

import { GROUP_DEFINITIONS_PATH } from '../../group-definitions/shared/group-definition.routes';
import { ResourceNotFoundError } from '../../http/errors/api-errors';
import { PathSegment } from '../../http/validation/path-segment.pipe';

export const GROUP_EVALUATION_TAG = 'group evaluation';
export const SNAPSHOTS_PATH = `${GROUP_DEFINITIONS_PATH}/:group/snapshots`;

const SNAPSHOT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function ApiSnapshotParam() {
  return ApiParam({
    name: 'snapshot',
    description: 'Id of the evaluation run (1 to 64 of A-Z a-z 0-9 . _ : -; else 422).',
  });
}

export function snapshotNotFound(): ResourceNotFoundError {
  return new ResourceNotFoundError('snapshot_not_found', 'Snapshot not found.');
}

/** `{snapshot}`: an id no run can have is a 422, a run that does not exist a 404. */
export const SnapshotSegment = PathSegment(
  'snapshot',
  (segment) => (SNAPSHOT_ID.test(segment) ? segment : null),
  'The snapshot must be 1 to 64 letters, digits, ".", "_", ":" and "-".',
);
