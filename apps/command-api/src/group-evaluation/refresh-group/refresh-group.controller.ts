import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';
import {
  ApiGroupParam,
  GROUP_DEFINITIONS_PATH,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupDefinitionSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { GROUP_EVALUATION_TAG } from '../shared/group-evaluation.routes';
import { RefreshGroupCommand } from './refresh-group.command';

@ApiTags(GROUP_EVALUATION_TAG)
@Controller(GROUP_DEFINITIONS_PATH)
export class RefreshGroupController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':group/refresh')
  @HttpCode(202)
  @RequireScope('update-group-definitions')
  @ApiOperation({
    summary: 'Evaluate a dynamic group now',
    description:
      'Queues a full refresh for the evaluation worker. The answer is the group with ' +
      '`refresh_status` queued; the snapshots list shows the run once it starts.',
  })
  @ApiGroupParam()
  @ApiData(202, GroupDefinitionSchema, 'The refresh is queued.')
  @ApiAuthenticated('update-group-definitions', 404, 422)
  async refresh(
    @Param('group', GroupSegment) group: string,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupDefinitionResource }> {
    return { data: await this.commandBus.execute(new RefreshGroupCommand(group, metadata)) };
  }
}
