import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { RemoveGroupMemberCommand } from '../../group-members/remove-group-member/remove-group-member.command';
import { type GroupProfileResource } from '../../group-members/shared/group-profile.resource';
import { FavouriteInstances } from '../shared/favourite-instances';
import { RemoveFavouriteGroupMemberCommand } from './remove-favourite-group-member.command';

/** A manual removal (reason manual): the profile stays out until added again by hand. */
@CommandHandler(RemoveFavouriteGroupMemberCommand)
export class RemoveFavouriteGroupMemberHandler
  implements ICommandHandler<RemoveFavouriteGroupMemberCommand>
{
  constructor(
    private readonly instances: FavouriteInstances,
    private readonly commandBus: CommandBus,
  ) {}

  async execute(command: RemoveFavouriteGroupMemberCommand): Promise<GroupProfileResource> {
    const instance = await this.instances.load(command.ownerProfileId, command.group);

    return this.commandBus.execute(
      new RemoveGroupMemberCommand(
        String(instance.id),
        command.memberProfileId,
        command.removedReason,
        command.removedByProfileId,
        command.metadata,
        command.ownerProfileId,
      ),
    );
  }
}
