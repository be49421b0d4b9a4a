import { Module } from '@nestjs/common';

import { GroupDefinitionsModule } from '../group-definitions/group-definitions.module';
import { AddGroupMembersController } from './add-group-members/add-group-members.controller';
import { AddGroupMembersHandler } from './add-group-members/add-group-members.handler';
import { ListGroupMembersController } from './list-group-members/list-group-members.controller';
import { ListGroupMembersHandler } from './list-group-members/list-group-members.handler';
import { RemoveGroupMemberController } from './remove-group-member/remove-group-member.controller';
import { RemoveGroupMemberHandler } from './remove-group-member/remove-group-member.handler';
import { MembershipPairs } from './shared/membership-pairs';

@Module({
  imports: [GroupDefinitionsModule],
  controllers: [ListGroupMembersController, AddGroupMembersController, RemoveGroupMemberController],
  providers: [
    MembershipPairs,
    ListGroupMembersHandler,
    AddGroupMembersHandler,
    RemoveGroupMemberHandler,
  ],
})
export class GroupMembersModule {}
