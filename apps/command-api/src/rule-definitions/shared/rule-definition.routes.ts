import { ApiParam } from '@nestjs/swagger';

/** Path of the rule definitions resource, under the global `/api` prefix. */
export const RULE_DEFINITIONS_PATH = 'v3/groups/rule-definitions';
export const RULE_DEFINITIONS_TAG = 'rule definitions';
export const RULE_DEFINITION_SEQUENCE = 'rule-definition';

export function ApiRuleDefinitionParam() {
  return ApiParam({
    name: 'ruleDefinition',
    description: 'Numeric id or handle of the rule definition.',
    example: 'joined-recently',
  });
}
