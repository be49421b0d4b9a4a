import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { groupEvaluationStream, type RefreshRequested } from '@profile-groups/contracts';
import { DomainError } from '@profile-groups/domain';
import { EventStore } from '@profile-groups/event-store';
import { ReadModelQueries } from '@profile-groups/read-models';

import { ConcurrencyPolicy } from '../../group-definitions/shared/concurrency';
import {
  type GroupDefinitionResource,
  resourceFromState,
} from '../../group-definitions/shared/group-definition.resource';
import { GroupTargets } from '../../group-definitions/shared/group-targets';
import { Clock } from '../../infrastructure/clock';
import { RefreshGroupCommand } from './refresh-group.command';

/**
 * Asks for a full evaluation of a dynamic group now: a RefreshRequested on the group's
 * evaluation stream, which the worker consumes. The stream is shared with the
 * worker's own events, so a conflict is retried on the fresh version.
 */
@CommandHandler(RefreshGroupCommand)
export class RefreshGroupHandler implements ICommandHandler<RefreshGroupCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: GroupTargets,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly queries: ReadModelQueries,
    private readonly clock: Clock,
  ) {}

  async execute(command: RefreshGroupCommand): Promise<GroupDefinitionResource> {
    const group = await this.targets.load(command.group);
    if (group.state.attributes.type !== 'dynamic') {
      throw new DomainError(
        'wrong_group_type',
        `A ${group.state.attributes.type} group has no rules to evaluate.`,
      );
    }
    // The worker evaluates only active, unarchived groups; a request it would skip
    // would leave the group showing `queued` for good.
    if (group.state.flags.is_archived) {
      throw new DomainError('group_archived', 'An archived group is not evaluated.');
    }
    if (!group.state.flags.is_active) {
      throw DomainError.validation({
        is_active: ['An inactive group is not evaluated; activate it first.'],
      });
    }
    const stream = groupEvaluationStream(group.id);
    const requested: RefreshRequested = {
      type: 'RefreshRequested',
      data: { group_definition_id: group.id, requested_at: this.clock.now().toISOString() },
    };
    // Read before the append, which stays the last operation: a 503 then tells truly
    // whether the request was stored.
    const view = await this.queries.definitionById(group.id);
    await this.concurrency.run(undefined, async () => {
      // TODO: this reads the whole evaluation stream for its version, and every
      // incremental run adds to it; the event store needs a read of a stream's version.
      const { version } = await this.eventStore.readStream(stream);
      await this.eventStore.append(stream, version, [requested], command.metadata);
    });

    return { ...resourceFromState(group.state, group.version, view), refresh_status: 'queued' };
  }
}
