import { ApiParam } from '@nestjs/swagger';

import { GROUP_DEFINITIONS_PATH } from '../../group-definitions/shared/group-definition.routes';
import { type GroupRuleResource } from '../../group-definitions/shared/group-rule.resource';
import { PathSegment } from '../../http/validation/path-segment.pipe';

export const GROUP_RULES_PATH = `${GROUP_DEFINITIONS_PATH}/:group/rules`;
export const GROUP_RULES_TAG = 'group rules';
export const GROUP_RULE_SEQUENCE = 'group-rule';

/** A rule after a write, with the group's stream version (rules live on the group's stream). */
export type GroupRuleWritten = GroupRuleResource & { readonly version: number };

export function ApiRuleParam() {
  return ApiParam({
    name: 'rule',
    description: 'Numeric id of the group rule; anything else answers 422.',
    example: 12,
  });
}

/** `{rule}`: a numeric id; anything else is a 422, a rule the group lacks a 404. */
export const RuleIdSegment = PathSegment(
  'rule',
  (segment) => (/^\d{1,15}$/.test(segment) && Number(segment) >= 1 ? Number(segment) : null),
  'The rule must be a numeric id from 1.',
);
