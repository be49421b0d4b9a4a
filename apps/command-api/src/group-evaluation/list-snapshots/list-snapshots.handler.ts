import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, ReadModelQueries } from '@profile-groups/read-models';

import { GroupDefinitionViews } from '../../group-definitions/shared/group-definition-views';
import { snapshotFromView, type SnapshotResource } from '../shared/snapshot.resource';
import { ListSnapshotsQuery } from './list-snapshots.query';

@QueryHandler(ListSnapshotsQuery)
export class ListSnapshotsHandler implements IQueryHandler<ListSnapshotsQuery> {
  constructor(
    private readonly views: GroupDefinitionViews,
    private readonly queries: ReadModelQueries,
  ) {}

  async execute(query: ListSnapshotsQuery): Promise<Page<SnapshotResource>> {
    const group = await this.views.find(query.group);
    const page = await this.queries.snapshots(group.id, query.page);

    return { ...page, items: page.items.map(snapshotFromView) };
  }
}
