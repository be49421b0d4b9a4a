import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { MinVersionParams } from '../../group-definitions/get-group-definition/get-group-definition.query-params.dto';
import { ApiMinVersion } from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { RuleDefinitionSchema } from '../../http/openapi/schemas';
import { RawQuery } from '../../http/request/request.decorators';
import { type RuleDefinitionResource } from '../shared/rule-definition.resource';
import {
  ApiRuleDefinitionParam,
  RULE_DEFINITIONS_PATH,
  RULE_DEFINITIONS_TAG,
  RuleDefinitionSegment,
} from '../shared/rule-definition.routes';
import { GetRuleDefinitionQuery } from './get-rule-definition.query';

@ApiTags(RULE_DEFINITIONS_TAG)
@Controller(RULE_DEFINITIONS_PATH)
export class GetRuleDefinitionController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':ruleDefinition')
  @RequireScope('read-group-definitions')
  @ApiOperation({ summary: 'Read a rule definition' })
  @ApiRuleDefinitionParam()
  @ApiMinVersion()
  @ApiData(200, RuleDefinitionSchema, 'The rule definition, from the read model.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async get(
    @Param('ruleDefinition', RuleDefinitionSegment) ruleDefinition: string,
    @RawQuery() params: MinVersionParams,
  ): Promise<{ data: RuleDefinitionResource }> {
    const query = new GetRuleDefinitionQuery(ruleDefinition, params.min_version);

    return { data: await this.queryBus.execute(query) };
  }
}
