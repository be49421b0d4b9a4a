import { Query } from '@nestjs/cqrs';

import { type GroupRuleWritten } from '../shared/group-rules.routes';

export class GetGroupRuleQuery extends Query<GroupRuleWritten> {
  constructor(
    readonly group: string,
    readonly ruleId: number,
    readonly minVersion: number | undefined,
  ) {
    super();
  }
}
