import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@profile-groups/read-models';

import { type SnapshotChangeResource } from './snapshot-change.resource';

export class DiffSnapshotsQuery extends Query<Page<SnapshotChangeResource>> {
  constructor(
    readonly group: string,
    /** The later run. */
    readonly snapshotId: string,
    /** The run to compare it with. */
    readonly fromSnapshotId: string,
    readonly page: PageRequest,
  ) {
    super();
  }
}
