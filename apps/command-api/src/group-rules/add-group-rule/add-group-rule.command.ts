import { Command } from '@nestjs/cqrs';
import { type EventMetadata, type GroupRuleAttributes } from '@profile-groups/contracts';

import { toArgumentValues } from '../shared/group-rule.fields';
import { type GroupRuleWritten } from '../shared/group-rules.routes';
import { type AddGroupRuleRequest } from './add-group-rule.request.dto';

export class AddGroupRuleCommand extends Command<GroupRuleWritten> {
  constructor(
    readonly group: string,
    readonly attributes: GroupRuleAttributes,
    readonly expectedVersion: number | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }

  /** The API's defaults: no template or inline rule given stays null, sort 0, active. */
  static fromRequest(
    group: string,
    request: AddGroupRuleRequest,
    expectedVersion: number | undefined,
    metadata: EventMetadata,
  ): AddGroupRuleCommand {
    return new AddGroupRuleCommand(group, attributesOf(request), expectedVersion, metadata);
  }
}

export function attributesOf(request: AddGroupRuleRequest): GroupRuleAttributes {
  return {
    group_rule_definition_id: request.group_rule_definition_id ?? null,
    rule: request.rule ?? null,
    type: request.type,
    name: request.name ?? null,
    arguments: toArgumentValues(request.arguments ?? []),
    sort_order: request.sort_order ?? 0,
    is_active: request.is_active ?? true,
    meta: request.meta ?? null,
  };
}
