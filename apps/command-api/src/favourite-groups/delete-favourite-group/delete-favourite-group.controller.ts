import { Controller, Delete, Headers, Param } from '@nestjs/common';
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
import { DeleteFavouriteGroupCommand } from './delete-favourite-group.command';

@ApiTags(FAVOURITE_GROUPS_TAG)
@Controller(FAVOURITE_GROUPS_PATH)
export class DeleteFavouriteGroupController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':group')
  @RequireScope('delete-group-definitions')
  @ApiOperation({
    summary: 'Delete a favourite group the profile owns',
    description:
      'GroupDefinitionDeleted: its history is kept, its members leave (reason ' +
      'group_deleted), and the profile may activate the definition again.',
  })
  @ApiInstanceParams()
  @ApiIfMatch()
  @ApiData(200, GroupDefinitionSchema, 'The final state of the deleted instance.')
  @ApiAuthenticated('delete-group-definitions', 404, 409, 422)
  async delete(
    @Param('profile', ProfileSegment) profile: string,
    @Param('group', GroupSegment) group: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupDefinitionResource }> {
    const command = new DeleteFavouriteGroupCommand(
      profile,
      group,
      parseIfMatch(ifMatch),
      metadata,
    );

    return { data: await this.commandBus.execute(command) };
  }
}
