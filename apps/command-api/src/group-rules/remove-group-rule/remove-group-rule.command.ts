import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupRuleWritten } from '../shared/group-rules.routes';

export class RemoveGroupRuleCommand extends Command<GroupRuleWritten> {
  constructor(
    readonly group: string,
    readonly ruleId: number,
    readonly expectedVersion: number | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
