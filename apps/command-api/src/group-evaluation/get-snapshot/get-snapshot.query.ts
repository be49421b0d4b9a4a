import { Query } from '@nestjs/cqrs';

import { type SnapshotResource } from '../shared/snapshot.resource';

export class GetSnapshotQuery extends Query<SnapshotResource> {
  constructor(
    readonly group: string,
    readonly snapshotId: string,
  ) {
    super();
  }
}
