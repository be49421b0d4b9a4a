import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupDefinitionSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { ProfileSegment } from '../../profiles/shared/profiles.routes';
import {
  ApiOwnerParam,
  FAVOURITE_GROUPS_PATH,
  FAVOURITE_GROUPS_TAG,
} from '../shared/favourite-groups.routes';
import { ActivateFavouriteGroupCommand } from './activate-favourite-group.command';
import { ActivateFavouriteGroupRequest } from './activate-favourite-group.request.dto';

@ApiTags(FAVOURITE_GROUPS_TAG)
@Controller(FAVOURITE_GROUPS_PATH)
export class ActivateFavouriteGroupController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScope('create-group-definitions')
  @ApiOperation({
    summary: 'Activate a favourite definition for a profile',
    description:
      'Creates the profile`s own instance of an active favourite definition: a group ' +
      'definition of type favourite with a fresh id, owned by the profile ' +
      '(`owner_profile_id`), handle `<definition handle>@<profile>`, `source_type` the ' +
      'connection type and `source_id` the definition id, its other attributes copied from ' +
      'the definition. Its members are the profile`s accepted connections of that type, ' +
      'kept up to date by the evaluation worker, plus manual additions, minus manual ' +
      'removals. A profile has one instance per definition: activating again answers it ' +
      'with 200. A definition that is missing, not a favourite one, inactive, archived or ' +
      'itself an instance is a 422 on group_definition_id.',
  })
  @ApiOwnerParam()
  @ApiData(201, GroupDefinitionSchema, 'The new instance at version 1.')
  @ApiData(200, GroupDefinitionSchema, 'The profile already had its instance: that one.')
  @ApiAuthenticated('create-group-definitions', 400, 409, 413, 422)
  async activate(
    @Param('profile', ProfileSegment) profile: string,
    @Body() request: ActivateFavouriteGroupRequest,
    @CommandMetadata() metadata: EventMetadata,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ data: GroupDefinitionResource }> {
    const command = new ActivateFavouriteGroupCommand(
      profile,
      String(request.group_definition_id),
      metadata,
    );
    const result = await this.commandBus.execute(command);
    res.status(result.created ? 201 : 200);

    return { data: result.group };
  }
}
