import { ApiParam } from '@nestjs/swagger';

import { GROUP_DEFINITIONS_PATH } from '../../group-definitions/shared/group-definition.routes';
import { ResourceNotFoundError } from '../../http/errors/api-errors';

export const GROUP_EVALUATION_TAG = 'group evaluation';
export const SNAPSHOTS_PATH = `${GROUP_DEFINITIONS_PATH}/:group/snapshots`;

const SNAPSHOT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function ApiSnapshotParam() {
  return ApiParam({ name: 'snapshot', description: 'Id of the evaluation run.' });
}

export function snapshotNotFound(): ResourceNotFoundError {
  return new ResourceNotFoundError('snapshot_not_found', 'Snapshot not found.');
}

/** The `{snapshot}` segment; one that can name no run answers 404. */
export function parseSnapshotId(segment: string): string {
  if (!SNAPSHOT_ID.test(segment)) throw snapshotNotFound();

  return segment;
}
