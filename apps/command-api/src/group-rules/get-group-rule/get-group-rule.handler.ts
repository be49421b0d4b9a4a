import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@profile-groups/domain';

import { GroupDefinitionViews } from '../../group-definitions/shared/group-definition-views';
import { ruleFromView } from '../../group-definitions/shared/group-rule.resource';
import { type GroupRuleWritten } from '../shared/group-rules.routes';
import { GetGroupRuleQuery } from './get-group-rule.query';

@QueryHandler(GetGroupRuleQuery)
export class GetGroupRuleHandler implements IQueryHandler<GetGroupRuleQuery> {
  constructor(private readonly views: GroupDefinitionViews) {}

  async execute(query: GetGroupRuleQuery): Promise<GroupRuleWritten> {
    const group = await this.views.find(query.group, query.minVersion);
    const rule = group.rules.find((candidate) => candidate.id === query.ruleId);
    if (rule === undefined) {
      throw new DomainError('rule_not_found', `Group ${group.id} has no rule ${query.ruleId}.`);
    }

    return { ...ruleFromView(rule), version: group.version };
  }
}
