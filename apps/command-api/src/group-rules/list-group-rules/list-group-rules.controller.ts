import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import {
  ApiGroupParam,
  ApiMinVersion,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { type GroupRuleResource } from '../../group-definitions/shared/group-rule.resource';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiPage } from '../../http/openapi/api-docs.decorators';
import { GroupRuleSchema } from '../../http/openapi/schemas';
import { ApiPageParams } from '../../http/pagination/page-params.docs';
import { pageRequestOf } from '../../http/pagination/page-query.dto';
import { paginate, type Paginated } from '../../http/pagination/paginate';
import {
  RawQuery,
  RequestedLocation,
  type RequestLocation,
} from '../../http/request/request.decorators';
import { GROUP_RULES_PATH, GROUP_RULES_TAG } from '../shared/group-rules.routes';
import { ListGroupRulesQuery } from './list-group-rules.query';
import { ListGroupRulesParams } from './list-group-rules.query-params.dto';

@ApiTags(GROUP_RULES_TAG)
@Controller(GROUP_RULES_PATH)
export class ListGroupRulesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('read-group-definitions')
  @ApiOperation({ summary: 'List the rules of a group, in evaluation order' })
  @ApiGroupParam()
  @ApiMinVersion()
  @ApiPageParams()
  @ApiPage(GroupRuleSchema, 'One page of rules, from the read model.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async list(
    @Param('group', GroupSegment) group: string,
    @RawQuery() params: ListGroupRulesParams,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<GroupRuleResource>> {
    const query = new ListGroupRulesQuery(group, params.min_version, pageRequestOf(params));

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
