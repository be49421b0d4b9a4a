import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';

import { RuleDefinitionViews } from '../shared/rule-definition-views';
import {
  ruleDefinitionFromView,
  type RuleDefinitionResource,
} from '../shared/rule-definition.resource';
import { GetRuleDefinitionQuery } from './get-rule-definition.query';

@QueryHandler(GetRuleDefinitionQuery)
export class GetRuleDefinitionHandler implements IQueryHandler<GetRuleDefinitionQuery> {
  constructor(private readonly views: RuleDefinitionViews) {}

  async execute(query: GetRuleDefinitionQuery): Promise<RuleDefinitionResource> {
    return ruleDefinitionFromView(await this.views.find(query.ruleDefinition, query.minVersion));
  }
}
