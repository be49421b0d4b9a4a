import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page, ReadModelQueries } from '@profile-groups/read-models';

import {
  ruleDefinitionFromView,
  type RuleDefinitionResource,
} from '../shared/rule-definition.resource';
import { BrowseRuleDefinitionsQuery } from './browse-rule-definitions.query';

@QueryHandler(BrowseRuleDefinitionsQuery)
export class BrowseRuleDefinitionsHandler implements IQueryHandler<BrowseRuleDefinitionsQuery> {
  constructor(private readonly queries: ReadModelQueries) {}

  async execute(query: BrowseRuleDefinitionsQuery): Promise<Page<RuleDefinitionResource>> {
    const page = await this.queries.browseRuleDefinitions(query.page);

    return { ...page, items: page.items.map(ruleDefinitionFromView) };
  }
}
