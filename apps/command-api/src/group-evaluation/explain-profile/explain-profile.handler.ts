import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, GroupEvaluator } from '@profile-groups/domain';
import { type ProfileResult, ProfileStore, SnapshotArchive } from '@profile-groups/evaluation';
import { ReadModelQueries, type SnapshotView } from '@profile-groups/read-models';

import { GroupTargets } from '../../group-definitions/shared/group-targets';
import { ResourceNotFoundError } from '../../http/errors/api-errors';
import { Clock } from '../../infrastructure/clock';
import { isProfileId } from '@profile-groups/contracts';
import { ExplainProfileQuery } from './explain-profile.query';
import { type ExplanationResource, explanationResource } from './explanation.resource';

/**
 * Why a profile is in or out of a dynamic group: the group's current rules (from the
 * event store) evaluated live on the profile's current data, every sub-expression
 * traced, beside what the latest completed run decided for it.
 */
const RUNS_SEARCHED = 20;

@QueryHandler(ExplainProfileQuery)
export class ExplainProfileHandler implements IQueryHandler<ExplainProfileQuery> {
  constructor(
    private readonly targets: GroupTargets,
    private readonly profiles: ProfileStore,
    private readonly archive: SnapshotArchive,
    private readonly queries: ReadModelQueries,
    private readonly clock: Clock,
  ) {}

  async execute(query: ExplainProfileQuery): Promise<ExplanationResource> {
    const group = await this.targets.load(query.group);
    if (group.state.attributes.type !== 'dynamic') {
      throw new DomainError(
        'wrong_group_type',
        `A ${group.state.attributes.type} group has no rules to explain.`,
      );
    }
    const profile = isProfileId(query.profileId) ? await this.profiles.get(query.profileId) : null;
    if (profile === null) {
      throw new ResourceNotFoundError('profile_not_found', 'Profile not found.');
    }
    const now = this.clock.now();
    const explanation = new GroupEvaluator(group.state).explain(profile.attributes, now.getTime());
    const [latest, membership] = await Promise.all([
      this.latestResult(group.id, profile.profile_id),
      this.queries.currentMembership(group.id, profile.profile_id),
    ]);

    return explanationResource(group.id, profile, explanation, now, {
      ...latest,
      isMember: membership !== null,
    });
  }

  /**
   * The latest run that evaluated this profile: an incremental run after one of its
   * changes, else the last full refresh. Incremental runs of other profiles are passed
   * over (a few, then the search stops at the first full run).
   */
  private async latestResult(
    groupId: number,
    profileId: string,
  ): Promise<{ run: SnapshotView | null; result: ProfileResult | null }> {
    const runs = await this.queries.completedSnapshots(groupId, RUNS_SEARCHED);
    for (const run of runs) {
      const result = await this.archive.resultFor(run.id, profileId);
      if (result !== null) return { run, result };
      if (run.trigger !== 'profile_change' && run.trigger !== 'time') return { run, result: null };
    }

    return { run: runs[0] ?? null, result: null };
  }
}
