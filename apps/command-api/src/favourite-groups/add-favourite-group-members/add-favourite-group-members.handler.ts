import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import {
  AddGroupMembersCommand,
  type AddGroupMembersResult,
} from '../../group-members/add-group-members/add-group-members.command';
import { FavouriteInstances } from '../shared/favourite-instances';
import { AddFavouriteGroupMembersCommand } from './add-favourite-group-members.command';

/**
 * Manual additions to the owner's instance, decided like a static group's, on behalf
 * of the owner: each stays until removed by hand, whatever its connection does.
 */
@CommandHandler(AddFavouriteGroupMembersCommand)
export class AddFavouriteGroupMembersHandler
  implements ICommandHandler<AddFavouriteGroupMembersCommand>
{
  constructor(
    private readonly instances: FavouriteInstances,
    private readonly commandBus: CommandBus,
  ) {}

  async execute(command: AddFavouriteGroupMembersCommand): Promise<AddGroupMembersResult> {
    const instance = await this.instances.load(command.ownerProfileId, command.group);
    const { request } = command;
    const requested = request.profile_ids ?? (request.profile_id ? [request.profile_id] : []);

    return this.commandBus.execute(
      new AddGroupMembersCommand(
        String(instance.id),
        [...new Set(requested)],
        {
          addedByProfileId: request.added_by_profile_id ?? null,
          sourceType: null,
          sourceId: null,
          meta: request.meta ?? null,
        },
        command.metadata,
        command.ownerProfileId,
      ),
    );
  }
}
