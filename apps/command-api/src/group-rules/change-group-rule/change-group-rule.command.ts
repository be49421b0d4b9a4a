import { Command } from '@nestjs/cqrs';
import { type EventMetadata, type GroupRuleAttributes } from '@profile-groups/contracts';

import { toArgumentValues } from '../shared/group-rule.fields';
import { type GroupRuleWritten } from '../shared/group-rules.routes';
import { type ChangeGroupRuleRequest } from './change-group-rule.request.dto';

export class ChangeGroupRuleCommand extends Command<GroupRuleWritten> {
  constructor(
    readonly group: string,
    readonly ruleId: number,
    readonly changes: Partial<GroupRuleAttributes>,
    readonly expectedVersion: number | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }

  /** Keeps only the fields the request gave. */
  static fromRequest(
    group: string,
    ruleId: number,
    request: ChangeGroupRuleRequest,
    expectedVersion: number | undefined,
    metadata: EventMetadata,
  ): ChangeGroupRuleCommand {
    const { arguments: values, ...rest } = request;
    const changes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined) changes[key] = value;
    }
    if (values !== undefined) changes.arguments = toArgumentValues(values);

    return new ChangeGroupRuleCommand(group, ruleId, changes, expectedVersion, metadata);
  }
}
