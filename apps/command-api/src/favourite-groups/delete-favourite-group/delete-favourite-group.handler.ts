import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { DeleteGroupDefinitionCommand } from '../../group-definitions/delete-group-definition/delete-group-definition.command';
import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';
import { FavouriteInstances } from '../shared/favourite-instances';
import { FavouriteInstanceClaims, instanceKey } from '../shared/instance-claims';
import { DeleteFavouriteGroupCommand } from './delete-favourite-group.command';

/**
 * Deletes the owner's instance as any group definition is deleted (history kept, the
 * worker ends its memberships), then frees its (definition, owner) claim, so that the
 * profile may activate the definition again.
 */
@CommandHandler(DeleteFavouriteGroupCommand)
export class DeleteFavouriteGroupHandler implements ICommandHandler<DeleteFavouriteGroupCommand> {
  constructor(
    private readonly instances: FavouriteInstances,
    private readonly claims: FavouriteInstanceClaims,
    private readonly commandBus: CommandBus,
  ) {}

  async execute(command: DeleteFavouriteGroupCommand): Promise<GroupDefinitionResource> {
    const instance = await this.instances.load(command.ownerProfileId, command.group);
    const deleted = await this.commandBus.execute(
      new DeleteGroupDefinitionCommand(
        String(instance.id),
        command.expectedVersion,
        command.metadata,
      ),
    );
    const favouriteId = Number(instance.state.attributes.source_id);
    await this.claims.release(instanceKey(favouriteId, command.ownerProfileId), instance.id);

    return deleted;
  }
}
