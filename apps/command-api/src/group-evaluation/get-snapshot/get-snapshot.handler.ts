import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelQueries } from '@profile-groups/read-models';

import { GroupDefinitionViews } from '../../group-definitions/shared/group-definition-views';
import { snapshotNotFound } from '../shared/group-evaluation.routes';
import { snapshotFromView, type SnapshotResource } from '../shared/snapshot.resource';
import { GetSnapshotQuery } from './get-snapshot.query';

@QueryHandler(GetSnapshotQuery)
export class GetSnapshotHandler implements IQueryHandler<GetSnapshotQuery> {
  constructor(
    private readonly views: GroupDefinitionViews,
    private readonly queries: ReadModelQueries,
  ) {}

  async execute(query: GetSnapshotQuery): Promise<SnapshotResource> {
    const group = await this.views.find(query.group);
    const snapshot = await this.queries.snapshot(group.id, query.snapshotId);
    if (snapshot === null) throw snapshotNotFound();

    return snapshotFromView(snapshot);
  }
}
