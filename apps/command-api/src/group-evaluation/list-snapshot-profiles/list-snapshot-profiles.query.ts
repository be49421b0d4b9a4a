import { Query } from '@nestjs/cqrs';
import { type ResultFilter } from '@profile-groups/evaluation';
import { type Page, type PageRequest } from '@profile-groups/read-models';

import { type SnapshotProfileResource } from '../shared/snapshot.resource';

export class ListSnapshotProfilesQuery extends Query<Page<SnapshotProfileResource>> {
  constructor(
    readonly group: string,
    readonly snapshotId: string,
    readonly filter: ResultFilter,
    readonly page: PageRequest,
  ) {
    super();
  }
}
