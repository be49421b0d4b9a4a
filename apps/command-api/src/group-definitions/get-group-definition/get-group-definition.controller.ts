import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupDefinitionSchema } from '../../http/openapi/schemas';
import { RawQuery } from '../../http/request/request.decorators';
import { type GroupDefinitionResource } from '../shared/group-definition.resource';
import {
  ApiGroupParam,
  ApiMinVersion,
  GROUP_DEFINITIONS_PATH,
  GROUP_DEFINITIONS_TAG,
  GroupSegment,
} from '../shared/group-definition.routes';
import { GetGroupDefinitionQuery } from './get-group-definition.query';
import { MinVersionParams } from './get-group-definition.query-params.dto';

@ApiTags(GROUP_DEFINITIONS_TAG)
@Controller(GROUP_DEFINITIONS_PATH)
export class GetGroupDefinitionController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':group')
  @RequireScope('read-group-definitions')
  @ApiOperation({ summary: 'Read a group definition' })
  @ApiGroupParam()
  @ApiMinVersion()
  @ApiData(200, GroupDefinitionSchema, 'The group definition, from the read model.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async get(
    @Param('group', GroupSegment) group: string,
    @RawQuery() params: MinVersionParams,
  ): Promise<{ data: GroupDefinitionResource }> {
    return {
      data: await this.queryBus.execute(new GetGroupDefinitionQuery(group, params.min_version)),
    };
  }
}
