import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { RemoveGroupMemberRequest } from '../../group-members/remove-group-member/remove-group-member.request.dto';
import { type GroupProfileResource } from '../../group-members/shared/group-profile.resource';
import { GroupSegment } from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupProfileSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { MemberSegment, ProfileSegment } from '../../profiles/shared/profiles.routes';
import { FAVOURITE_GROUP_MEMBERS_PATH } from '../shared/favourite-group-members.routes';
import { ApiInstanceParams, FAVOURITE_GROUPS_TAG } from '../shared/favourite-groups.routes';
import { RemoveFavouriteGroupMemberCommand } from './remove-favourite-group-member.command';

@ApiTags(FAVOURITE_GROUPS_TAG)
@Controller(FAVOURITE_GROUP_MEMBERS_PATH)
export class RemoveFavouriteGroupMemberController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':member/remove')
  @HttpCode(200)
  @RequireScope('update-group-definitions')
  @ApiOperation({
    summary: 'Remove a profile by hand from a favourite group the profile owns',
    description:
      'Reason manual. The profile stays out even if its connection is accepted again, ' +
      'until it is added again by hand. A profile that is not a member is a 404.',
  })
  @ApiInstanceParams()
  @ApiParam({ name: 'member', description: 'The member profile id.' })
  @ApiData(200, GroupProfileSchema, 'The membership that ended.')
  @ApiAuthenticated('update-group-definitions', 400, 404, 409, 422)
  async remove(
    @Param('profile', ProfileSegment) profile: string,
    @Param('group', GroupSegment) group: string,
    @Param('member', MemberSegment) member: string,
    @Body() request: RemoveGroupMemberRequest,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupProfileResource }> {
    const command = new RemoveFavouriteGroupMemberCommand(
      profile,
      group,
      member,
      request.removed_reason ?? null,
      request.removed_by_profile_id ?? null,
      metadata,
    );

    return { data: await this.commandBus.execute(command) };
  }
}
