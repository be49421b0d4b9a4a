import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiPage } from '../../http/openapi/api-docs.decorators';
import { RuleDefinitionSchema } from '../../http/openapi/schemas';
import { ApiPageParams } from '../../http/pagination/page-params.docs';
import { PageQuery, pageRequestOf } from '../../http/pagination/page-query.dto';
import { paginate, type Paginated } from '../../http/pagination/paginate';
import {
  RawQuery,
  RequestedLocation,
  type RequestLocation,
} from '../../http/request/request.decorators';
import { type RuleDefinitionResource } from '../shared/rule-definition.resource';
import { RULE_DEFINITIONS_PATH, RULE_DEFINITIONS_TAG } from '../shared/rule-definition.routes';
import { BrowseRuleDefinitionsQuery } from './browse-rule-definitions.query';

@ApiTags(RULE_DEFINITIONS_TAG)
@Controller(RULE_DEFINITIONS_PATH)
export class BrowseRuleDefinitionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('read-group-definitions')
  @ApiOperation({ summary: 'Browse rule definitions' })
  @ApiPageParams()
  @ApiPage(RuleDefinitionSchema, 'One page of rule definitions, by id.')
  @ApiAuthenticated('read-group-definitions', 422)
  async browse(
    @RawQuery() params: PageQuery,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<RuleDefinitionResource>> {
    const query = new BrowseRuleDefinitionsQuery(pageRequestOf(params));

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
