import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupProfileResource } from '../../group-members/shared/group-profile.resource';
import { GroupSegment } from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupProfileSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { ProfileSegment } from '../../profiles/shared/profiles.routes';
import { FAVOURITE_GROUP_MEMBERS_PATH } from '../shared/favourite-group-members.routes';
import { ApiInstanceParams, FAVOURITE_GROUPS_TAG } from '../shared/favourite-groups.routes';
import { AddFavouriteGroupMembersCommand } from './add-favourite-group-members.command';
import { AddFavouriteGroupMembersRequest } from './add-favourite-group-members.request.dto';

@ApiTags(FAVOURITE_GROUPS_TAG)
@Controller(FAVOURITE_GROUP_MEMBERS_PATH)
export class AddFavouriteGroupMembersController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScope('update-group-definitions')
  @ApiOperation({
    summary: 'Add profiles by hand to a favourite group the profile owns',
    description:
      '`profile_id` answers one row, `profile_ids` a list. A manual addition stays even if ' +
      'the profile`s connection breaks, and undoes an earlier manual removal. A current ' +
      'member is left as it is (one a connection brought in still follows the connection).',
  })
  @ApiInstanceParams()
  @ApiData(201, GroupProfileSchema, 'At least one membership started.', true)
  @ApiData(200, GroupProfileSchema, 'Every profile was a member already.', true)
  @ApiAuthenticated('update-group-definitions', 400, 404, 409, 413, 422)
  async add(
    @Param('profile', ProfileSegment) profile: string,
    @Param('group', GroupSegment) group: string,
    @Body() request: AddFavouriteGroupMembersRequest,
    @CommandMetadata() metadata: EventMetadata,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ data: GroupProfileResource | GroupProfileResource[] }> {
    const command = new AddFavouriteGroupMembersCommand(profile, group, request, metadata);
    const result = await this.commandBus.execute(command);
    res.status(result.created ? 201 : 200);
    const [single] = result.profiles;

    return { data: request.profile_ids === undefined && single ? single : result.profiles };
  }
}
