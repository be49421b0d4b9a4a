import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type AddGroupMembersResult } from '../../group-members/add-group-members/add-group-members.command';
import { type AddFavouriteGroupMembersRequest } from './add-favourite-group-members.request.dto';

export class AddFavouriteGroupMembersCommand extends Command<AddGroupMembersResult> {
  constructor(
    readonly ownerProfileId: string,
    readonly group: string,
    readonly request: AddFavouriteGroupMembersRequest,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
