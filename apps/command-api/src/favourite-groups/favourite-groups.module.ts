import { Module } from '@nestjs/common';

import { GroupDefinitionsModule } from '../group-definitions/group-definitions.module';
import { ActivateFavouriteGroupController } from './activate-favourite-group/activate-favourite-group.controller';
import { ActivateFavouriteGroupHandler } from './activate-favourite-group/activate-favourite-group.handler';
import { AddFavouriteGroupMembersController } from './add-favourite-group-members/add-favourite-group-members.controller';
import { AddFavouriteGroupMembersHandler } from './add-favourite-group-members/add-favourite-group-members.handler';
import { DeleteFavouriteGroupController } from './delete-favourite-group/delete-favourite-group.controller';
import { DeleteFavouriteGroupHandler } from './delete-favourite-group/delete-favourite-group.handler';
import { GetFavouriteGroupController } from './get-favourite-group/get-favourite-group.controller';
import { GetFavouriteGroupHandler } from './get-favourite-group/get-favourite-group.handler';
import { ListFavouriteGroupMembersController } from './list-favourite-group-members/list-favourite-group-members.controller';
import { ListFavouriteGroupMembersHandler } from './list-favourite-group-members/list-favourite-group-members.handler';
import { ListProfileGroupsController } from './list-profile-groups/list-profile-groups.controller';
import { ListProfileGroupsHandler } from './list-profile-groups/list-profile-groups.handler';
import { RemoveFavouriteGroupMemberController } from './remove-favourite-group-member/remove-favourite-group-member.controller';
import { RemoveFavouriteGroupMemberHandler } from './remove-favourite-group-member/remove-favourite-group-member.handler';
import { FavouriteInstanceViews } from './shared/favourite-instance-views';
import { FavouriteInstances } from './shared/favourite-instances';
import { FavouriteInstanceClaims } from './shared/instance-claims';
import { UpdateFavouriteGroupController } from './update-favourite-group/update-favourite-group.controller';
import { UpdateFavouriteGroupHandler } from './update-favourite-group/update-favourite-group.handler';

/**
 * Profile-owned (favourite) groups (API.md): a profile activates a favourite
 * definition and gets its own instance, then reads, edits, deletes it and manages its
 * members by hand. Each write finds the owner's instance and hands the command to the
 * group definition and member use cases every group goes through.
 */
@Module({
  imports: [GroupDefinitionsModule],
  controllers: [
    ListProfileGroupsController,
    ActivateFavouriteGroupController,
    GetFavouriteGroupController,
    UpdateFavouriteGroupController,
    DeleteFavouriteGroupController,
    ListFavouriteGroupMembersController,
    AddFavouriteGroupMembersController,
    RemoveFavouriteGroupMemberController,
  ],
  providers: [
    FavouriteInstanceClaims,
    FavouriteInstances,
    FavouriteInstanceViews,
    ListProfileGroupsHandler,
    ActivateFavouriteGroupHandler,
    GetFavouriteGroupHandler,
    UpdateFavouriteGroupHandler,
    DeleteFavouriteGroupHandler,
    ListFavouriteGroupMembersHandler,
    AddFavouriteGroupMembersHandler,
    RemoveFavouriteGroupMemberHandler,
  ],
})
export class FavouriteGroupsModule {}
