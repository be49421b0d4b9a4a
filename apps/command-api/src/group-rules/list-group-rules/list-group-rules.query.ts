import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@profile-groups/read-models';

import { type GroupRuleResource } from '../../group-definitions/shared/group-rule.resource';

export class ListGroupRulesQuery extends Query<Page<GroupRuleResource>> {
  constructor(
    readonly group: string,
    readonly minVersion: number | undefined,
    readonly page: PageRequest,
  ) {
    super();
  }
}
