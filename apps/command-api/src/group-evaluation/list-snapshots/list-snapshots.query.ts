import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@profile-groups/read-models';

import { type SnapshotResource } from '../shared/snapshot.resource';

export class ListSnapshotsQuery extends Query<Page<SnapshotResource>> {
  constructor(
    readonly group: string,
    readonly page: PageRequest,
  ) {
    super();
  }
}
