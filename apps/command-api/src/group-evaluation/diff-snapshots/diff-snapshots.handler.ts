import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, ReadModelQueries, type SnapshotView } from '@profile-groups/read-models';

import { GroupDefinitionViews } from '../../group-definitions/shared/group-definition-views';
import { RequestValidationError } from '../../http/errors/api-errors';
import { snapshotNotFound } from '../shared/group-evaluation.routes';
import { DiffSnapshotsQuery } from './diff-snapshots.query';
import { type SnapshotChangeResource } from './snapshot-change.resource';

/**
 * Who was a member after one run and not after the other. A run's members are the
 * memberships in force when it finished, which covers every kind of run (an
 * incremental one archives only the profiles it moved). Order: added, then removed,
 * each by profile id.
 */
@QueryHandler(DiffSnapshotsQuery)
export class DiffSnapshotsHandler implements IQueryHandler<DiffSnapshotsQuery> {
  constructor(
    private readonly views: GroupDefinitionViews,
    private readonly queries: ReadModelQueries,
  ) {}

  async execute(query: DiffSnapshotsQuery): Promise<Page<SnapshotChangeResource>> {
    const group = await this.views.find(query.group);
    const to = await this.finished(group.id, query.snapshotId, 'snapshot');
    const from = await this.finished(group.id, query.fromSnapshotId, 'from');
    const [before, after] = await this.queries.membersAtEach(group.id, [
      from.finished_at!,
      to.finished_at!,
    ]);
    const changes: SnapshotChangeResource[] = [
      ...[...after!]
        .filter((id) => !before!.has(id))
        .sort()
        .map(added),
      ...[...before!]
        .filter((id) => !after!.has(id))
        .sort()
        .map(removed),
    ];
    const start = (query.page.number - 1) * query.page.size;

    return {
      items: changes.slice(start, start + query.page.size),
      total: changes.length,
      page: query.page,
    };
  }

  private async finished(groupId: number, id: string, field: string): Promise<SnapshotView> {
    const snapshot = await this.queries.snapshot(groupId, id);
    if (snapshot === null) throw snapshotNotFound();
    if (snapshot.status !== 'completed' || snapshot.finished_at === null) {
      throw new RequestValidationError({
        [field]: [`The run ${id} has not completed (status ${snapshot.status}).`],
      });
    }

    return snapshot;
  }
}

function added(profileId: string): SnapshotChangeResource {
  return { profile_id: profileId, change: 'added' };
}

function removed(profileId: string): SnapshotChangeResource {
  return { profile_id: profileId, change: 'removed' };
}
