import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupDefinitionSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { type GroupDefinitionResource } from '../shared/group-definition.resource';
import { GROUP_DEFINITIONS_PATH, GROUP_DEFINITIONS_TAG } from '../shared/group-definition.routes';
import { CreateGroupDefinitionCommand } from './create-group-definition.command';
import { CreateGroupDefinitionRequest } from './create-group-definition.request.dto';

@ApiTags(GROUP_DEFINITIONS_TAG)
@Controller(GROUP_DEFINITIONS_PATH)
export class CreateGroupDefinitionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScope('create-group-definitions')
  @ApiOperation({ summary: 'Create a group definition' })
  @ApiData(201, GroupDefinitionSchema, 'The new group definition at version 1.')
  @ApiAuthenticated('create-group-definitions', 400, 413, 422)
  async create(
    @Body() request: CreateGroupDefinitionRequest,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupDefinitionResource }> {
    const command = CreateGroupDefinitionCommand.fromRequest(request, metadata);

    return { data: await this.commandBus.execute(command) };
  }
}
