import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { MinVersionParams } from '../../group-definitions/get-group-definition/get-group-definition.query-params.dto';
import {
  ApiGroupParam,
  ApiMinVersion,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupRuleWriteSchema } from '../../http/openapi/schemas';
import { RawQuery } from '../../http/request/request.decorators';
import {
  ApiRuleParam,
  GROUP_RULES_PATH,
  GROUP_RULES_TAG,
  type GroupRuleWritten,
  RuleIdSegment,
} from '../shared/group-rules.routes';
import { GetGroupRuleQuery } from './get-group-rule.query';

@ApiTags(GROUP_RULES_TAG)
@Controller(GROUP_RULES_PATH)
export class GetGroupRuleController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':rule')
  @RequireScope('read-group-definitions')
  @ApiOperation({ summary: 'Read a rule of a group' })
  @ApiGroupParam()
  @ApiRuleParam()
  @ApiMinVersion()
  @ApiData(200, GroupRuleWriteSchema, 'The rule, from the read model, with the group version.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async get(
    @Param('group', GroupSegment) group: string,
    @Param('rule', RuleIdSegment) rule: number,
    @RawQuery() params: MinVersionParams,
  ): Promise<{ data: GroupRuleWritten }> {
    const query = new GetGroupRuleQuery(group, rule, params.min_version);

    return { data: await this.queryBus.execute(query) };
  }
}
