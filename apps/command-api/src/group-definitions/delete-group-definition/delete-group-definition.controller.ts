import { Controller, Delete, Headers, Param } from '@nestjs/common';
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
import { DeleteGroupDefinitionCommand } from './delete-group-definition.command';

@ApiTags(GROUP_DEFINITIONS_TAG)
@Controller(GROUP_DEFINITIONS_PATH)
export class DeleteGroupDefinitionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':group')
  @RequireScope('delete-group-definitions')
  @ApiOperation({
    summary: 'Delete a group definition',
    description: 'Its history is kept in the event store and its handle becomes free.',
  })
  @ApiGroupParam()
  @ApiIfMatch()
  @ApiData(200, GroupDefinitionSchema, 'The final state of the deleted group definition.')
  @ApiAuthenticated('delete-group-definitions', 404, 409, 422)
  async delete(
    @Param('group', GroupSegment) group: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupDefinitionResource }> {
    const command = new DeleteGroupDefinitionCommand(group, parseIfMatch(ifMatch), metadata);

    return { data: await this.commandBus.execute(command) };
  }
}
