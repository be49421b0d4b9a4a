import { ApiParam } from '@nestjs/swagger';
import { DomainError } from '@profile-groups/domain';

import { GROUP_DEFINITIONS_PATH } from '../../group-definitions/shared/group-definition.routes';
import { type GroupRuleResource } from '../../group-definitions/shared/group-rule.resource';

export const GROUP_RULES_PATH = `${GROUP_DEFINITIONS_PATH}/:group/rules`;
export const GROUP_RULES_TAG = 'group rules';
export const GROUP_RULE_SEQUENCE = 'group-rule';

/** A rule after a write, with the group's stream version (rules live on the group's stream). */
export type GroupRuleWritten = GroupRuleResource & { readonly version: number };

export function ApiRuleParam() {
  return ApiParam({ name: 'rule', description: 'Numeric id of the group rule.', example: 12 });
}

/** The `{rule}` segment: a numeric id, or a 404 like any rule the group does not have. */
export function parseRuleId(segment: string): number {
  if (/^\d{1,15}$/.test(segment) && Number(segment) >= 1) return Number(segment);

  throw new DomainError('rule_not_found', `No rule ${segment} in this group.`);
}
