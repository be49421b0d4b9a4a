import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideGroupDefinition } from '@profile-groups/domain';
import { EventStore } from '@profile-groups/event-store';
import { ReadModelQueries } from '@profile-groups/read-models';

import { Clock } from '../../infrastructure/clock';
import { checkExpectedVersion, ConcurrencyPolicy } from '../shared/concurrency';
import { foldGroupDefinition } from '../shared/group-definition-streams';
import {
  type GroupDefinitionResource,
  resourceFromState,
} from '../shared/group-definition.resource';
import { GroupTargets } from '../shared/group-targets';
import { GroupHandleClaims } from '../shared/handle-claims';
import { DeleteGroupDefinitionCommand } from './delete-group-definition.command';

/** Deletes a group; its history stays in the event store and its handle is released. */
@CommandHandler(DeleteGroupDefinitionCommand)
export class DeleteGroupDefinitionHandler implements ICommandHandler<DeleteGroupDefinitionCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: GroupTargets,
    private readonly handles: GroupHandleClaims,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly queries: ReadModelQueries,
    private readonly clock: Clock,
  ) {}

  execute(command: DeleteGroupDefinitionCommand): Promise<GroupDefinitionResource> {
    return this.concurrency.run(command.expectedVersion, () => this.attempt(command));
  }

  private async attempt(command: DeleteGroupDefinitionCommand): Promise<GroupDefinitionResource> {
    const group = await this.targets.load(command.group);
    checkExpectedVersion(command.expectedVersion, group.version);
    const events = decideGroupDefinition(group.state, {
      kind: 'DeleteGroupDefinition',
      now: this.clock.now(),
    });
    // Read first: the append is the last operation that can fail the request (the
    // release is best effort), so a 503 tells truly whether the deletion was stored.
    const view = await this.queries.definitionById(group.id);
    await this.eventStore.append(group.stream, group.version, events, command.metadata);
    await this.handles.release(group.state.attributes.handle, group.id);

    const state = foldGroupDefinition(group.state, events) ?? group.state;

    return resourceFromState(state, group.version + events.length, view);
  }
}
