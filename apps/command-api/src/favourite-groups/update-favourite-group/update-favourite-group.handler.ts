import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';
import { UpdateGroupDefinitionCommand } from '../../group-definitions/update-group-definition/update-group-definition.command';
import { FavouriteInstances } from '../shared/favourite-instances';
import { UpdateFavouriteGroupCommand } from './update-favourite-group.command';

/** Finds the owner's instance, then edits it as any group definition is edited. */
@CommandHandler(UpdateFavouriteGroupCommand)
export class UpdateFavouriteGroupHandler implements ICommandHandler<UpdateFavouriteGroupCommand> {
  constructor(
    private readonly instances: FavouriteInstances,
    private readonly commandBus: CommandBus,
  ) {}

  async execute(command: UpdateFavouriteGroupCommand): Promise<GroupDefinitionResource> {
    const instance = await this.instances.load(command.ownerProfileId, command.group);

    return this.commandBus.execute(
      UpdateGroupDefinitionCommand.fromRequest(
        String(instance.id),
        command.request,
        command.expectedVersion,
        command.metadata,
      ),
    );
  }
}
