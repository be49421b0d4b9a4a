import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { groupDefinitionStream } from '@profile-groups/contracts';
import { decideGroupDefinition, requireLive } from '@profile-groups/domain';
import { ConcurrencyError, EventStore, EventTooLargeError } from '@profile-groups/event-store';

import { Clock } from '../../infrastructure/clock';
import { foldGroupDefinition } from '../shared/group-definition-streams';
import {
  type GroupDefinitionResource,
  resourceFromState,
} from '../shared/group-definition.resource';
import { GroupHandleClaims } from '../shared/handle-claims';
import { CreateGroupDefinitionCommand } from './create-group-definition.command';

export const GROUP_DEFINITION_SEQUENCE = 'group_definition';

@CommandHandler(CreateGroupDefinitionCommand)
export class CreateGroupDefinitionHandler implements ICommandHandler<CreateGroupDefinitionCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly handles: GroupHandleClaims,
    private readonly clock: Clock,
  ) {}

  async execute(command: CreateGroupDefinitionCommand): Promise<GroupDefinitionResource> {
    const id = await this.eventStore.nextSequence(GROUP_DEFINITION_SEQUENCE);
    const events = decideGroupDefinition(null, {
      kind: 'CreateGroupDefinition',
      id,
      attributes: command.attributes,
      flags: command.flags,
      now: this.clock.now(),
    });
    const { handle } = command.attributes;
    await this.handles.claim(handle, id);
    try {
      await this.eventStore.append(groupDefinitionStream(id), 0, events, command.metadata);
    } catch (error) {
      // Only a conflict or a refused size proves nothing was stored; after any other
      // failure the claim stays, and goes stale if the group never came to exist.
      if (error instanceof ConcurrencyError || error instanceof EventTooLargeError) {
        await this.handles.release(handle, id);
      }
      throw error;
    }

    // A group this new has no read model document, hence no members yet.
    return resourceFromState(requireLive(foldGroupDefinition(null, events)), events.length, null);
  }
}
