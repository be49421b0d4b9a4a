import { Body, Controller, Headers, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { parseIfMatch } from '../../group-definitions/shared/concurrency';
import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';
import { ApiIfMatch, GroupSegment } from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupDefinitionSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { ProfileSegment } from '../../profiles/shared/profiles.routes';
import {
  ApiInstanceParams,
  FAVOURITE_GROUPS_PATH,
  FAVOURITE_GROUPS_TAG,
} from '../shared/favourite-groups.routes';
import { UpdateFavouriteGroupCommand } from './update-favourite-group.command';
import { UpdateFavouriteGroupRequest } from './update-favourite-group.request.dto';

@ApiTags(FAVOURITE_GROUPS_TAG)
@Controller(FAVOURITE_GROUPS_PATH)
export class UpdateFavouriteGroupController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':group')
  @RequireScope('update-group-definitions')
  @ApiOperation({
    summary: 'Edit a favourite group the profile owns',
    description:
      'Partial: name, short_description, description, meta and is_active. Deactivating ' +
      'stops the group following connections (its members stay); activating it again ' +
      'brings its members in line with the profile`s connections.',
  })
  @ApiInstanceParams()
  @ApiIfMatch()
  @ApiData(200, GroupDefinitionSchema, 'The instance after the edit.')
  @ApiAuthenticated('update-group-definitions', 400, 404, 409, 413, 422)
  async update(
    @Param('profile', ProfileSegment) profile: string,
    @Param('group', GroupSegment) group: string,
    @Body() request: UpdateFavouriteGroupRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupDefinitionResource }> {
    const command = new UpdateFavouriteGroupCommand(
      profile,
      group,
      request,
      parseIfMatch(ifMatch),
      metadata,
    );

    return { data: await this.commandBus.execute(command) };
  }
}
