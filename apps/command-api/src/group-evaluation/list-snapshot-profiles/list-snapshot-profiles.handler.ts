import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { SnapshotArchive } from '@profile-groups/evaluation';
import { type Page, ReadModelQueries } from '@profile-groups/read-models';

import { GroupDefinitionViews } from '../../group-definitions/shared/group-definition-views';
import { snapshotNotFound } from '../shared/group-evaluation.routes';
import { type SnapshotProfileResource, snapshotProfileFrom } from '../shared/snapshot.resource';
import { ListSnapshotProfilesQuery } from './list-snapshot-profiles.query';

/** The per-profile results of one run, in the order the run produced them. */
@QueryHandler(ListSnapshotProfilesQuery)
export class ListSnapshotProfilesHandler implements IQueryHandler<ListSnapshotProfilesQuery> {
  constructor(
    private readonly views: GroupDefinitionViews,
    private readonly queries: ReadModelQueries,
    private readonly archive: SnapshotArchive,
  ) {}

  async execute(query: ListSnapshotProfilesQuery): Promise<Page<SnapshotProfileResource>> {
    const group = await this.views.find(query.group);
    if ((await this.queries.snapshot(group.id, query.snapshotId)) === null) {
      throw snapshotNotFound();
    }
    // TODO: the archive answers a run's results whole (a thousand per stored chunk);
    // pages of a very large run would be cheaper read chunk by chunk.
    const results = await this.archive.results(query.snapshotId, query.filter);
    const start = (query.page.number - 1) * query.page.size;

    return {
      items: results.slice(start, start + query.page.size).map(snapshotProfileFrom),
      total: results.length,
      page: query.page,
    };
  }
}
