import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type EventMetadata } from '@profile-groups/contracts';

import {
  ApiGroupParam,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupProfileSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { type GroupProfileResource } from '../shared/group-profile.resource';
import { GROUP_MEMBERS_PATH, GROUP_MEMBERS_TAG } from '../shared/group-members.routes';
import { AddGroupMembersCommand } from './add-group-members.command';
import { AddGroupMembersRequest } from './add-group-members.request.dto';

@ApiTags(GROUP_MEMBERS_TAG)
@Controller(GROUP_MEMBERS_PATH)
export class AddGroupMembersController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScope('update-group-definitions')
  @ApiOperation({
    summary: 'Add profiles to a static group',
    description:
      '`profile_id` answers one row, `profile_ids` a list. A current member is left as it ' +
      'is and its row returned; a removed or expired one starts a new membership.',
  })
  @ApiGroupParam()
  @ApiData(201, GroupProfileSchema, 'At least one membership started.', true)
  @ApiData(200, GroupProfileSchema, 'Every profile was a member already.', true)
  @ApiAuthenticated('update-group-definitions', 400, 404, 409, 413, 422)
  async add(
    @Param('group', GroupSegment) group: string,
    @Body() request: AddGroupMembersRequest,
    @CommandMetadata() metadata: EventMetadata,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ data: GroupProfileResource | GroupProfileResource[] }> {
    const command = AddGroupMembersCommand.fromRequest(group, request, metadata);
    const result = await this.commandBus.execute(command);
    res.status(result.created ? 201 : 200);
    const [single] = result.profiles;

    return { data: request.profile_ids === undefined && single ? single : result.profiles };
  }
}
