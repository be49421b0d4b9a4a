import { ApiParam } from '@nestjs/swagger';

import { parseGroupReference } from '../../group-definitions/shared/group-reference';
import { PathSegment } from '../../http/validation/path-segment.pipe';

/** Path of the rule definitions resource, under the global `/api` prefix. */
export const RULE_DEFINITIONS_PATH = 'v3/groups/rule-definitions';
export const RULE_DEFINITIONS_TAG = 'rule definitions';
export const RULE_DEFINITION_SEQUENCE = 'rule-definition';

export function ApiRuleDefinitionParam() {
  return ApiParam({
    name: 'ruleDefinition',
    description:
      'Numeric id or handle of the rule definition; a segment that can be neither answers 422.',
    example: 'joined-recently',
  });
}

/** `{ruleDefinition}`: ids and handles follow the rules of groups'. */
export const RuleDefinitionSegment = PathSegment(
  'ruleDefinition',
  (segment) => (parseGroupReference(segment) === null ? null : segment),
  'The rule definition must be a numeric id from 1, or a handle: up to 255 letters, digits, ' +
    '".", "_" and "-", starting with a letter or digit and not all digits.',
);
