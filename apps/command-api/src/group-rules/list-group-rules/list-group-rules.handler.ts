import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type Page } from '@profile-groups/read-models';

import { GroupDefinitionViews } from '../../group-definitions/shared/group-definition-views';
import {
  type GroupRuleResource,
  ruleFromView,
} from '../../group-definitions/shared/group-rule.resource';
import { ListGroupRulesQuery } from './list-group-rules.query';

/** A group's rules in evaluation order, from the rules embedded in its view. */
@QueryHandler(ListGroupRulesQuery)
export class ListGroupRulesHandler implements IQueryHandler<ListGroupRulesQuery> {
  constructor(private readonly views: GroupDefinitionViews) {}

  async execute(query: ListGroupRulesQuery): Promise<Page<GroupRuleResource>> {
    const { rules } = await this.views.find(query.group, query.minVersion);
    const start = (query.page.number - 1) * query.page.size;

    return {
      items: rules.slice(start, start + query.page.size).map(ruleFromView),
      total: rules.length,
      page: query.page,
    };
  }
}
