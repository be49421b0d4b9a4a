import { Body, Controller, Headers, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupDefinitionSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { parseIfMatch } from '../shared/concurrency';
import { type GroupDefinitionResource } from '../shared/group-definition.resource';
import {
  ApiGroupParam,
  ApiIfMatch,
  GROUP_DEFINITIONS_PATH,
  GROUP_DEFINITIONS_TAG,
  GroupSegment,
} from '../shared/group-definition.routes';
import { UpdateGroupDefinitionCommand } from './update-group-definition.command';
import { UpdateGroupDefinitionRequest } from './update-group-definition.request.dto';

@ApiTags(GROUP_DEFINITIONS_TAG)
@Controller(GROUP_DEFINITIONS_PATH)
export class UpdateGroupDefinitionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':group')
  @RequireScope('update-group-definitions')
  @ApiOperation({
    summary: 'Edit a group definition',
    description: 'Partial: omitted fields keep their value. Lifecycle flags may change too.',
  })
  @ApiGroupParam()
  @ApiIfMatch()
  @ApiData(200, GroupDefinitionSchema, 'The group definition after the edit.')
  @ApiAuthenticated('update-group-definitions', 400, 404, 409, 413, 422)
  async update(
    @Param('group', GroupSegment) group: string,
    @Body() request: UpdateGroupDefinitionRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupDefinitionResource }> {
    const command = UpdateGroupDefinitionCommand.fromRequest(
      group,
      request,
      parseIfMatch(ifMatch),
      metadata,
    );

    return { data: await this.commandBus.execute(command) };
  }
}
