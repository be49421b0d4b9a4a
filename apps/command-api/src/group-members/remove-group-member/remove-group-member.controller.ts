import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import {
  ApiGroupParam,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupProfileSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { ApiProfileParam, ProfileSegment } from '../../profiles/shared/profiles.routes';
import { type GroupProfileResource } from '../shared/group-profile.resource';
import { GROUP_MEMBERS_PATH, GROUP_MEMBERS_TAG } from '../shared/group-members.routes';
import { RemoveGroupMemberCommand } from './remove-group-member.command';
import { RemoveGroupMemberRequest } from './remove-group-member.request.dto';

@ApiTags(GROUP_MEMBERS_TAG)
@Controller(GROUP_MEMBERS_PATH)
export class RemoveGroupMemberController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':profile/remove')
  @HttpCode(200)
  @RequireScope('update-group-definitions')
  @ApiOperation({ summary: 'Remove a profile from a static group (reason manual)' })
  @ApiGroupParam()
  @ApiProfileParam()
  @ApiData(200, GroupProfileSchema, 'The membership that ended.')
  @ApiAuthenticated('update-group-definitions', 400, 404, 409, 422)
  async remove(
    @Param('group', GroupSegment) group: string,
    @Param('profile', ProfileSegment) profile: string,
    @Body() request: RemoveGroupMemberRequest,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupProfileResource }> {
    const command = new RemoveGroupMemberCommand(
      group,
      profile,
      request.removed_reason ?? null,
      request.removed_by_profile_id ?? null,
      metadata,
    );

    return { data: await this.commandBus.execute(command) };
  }
}
