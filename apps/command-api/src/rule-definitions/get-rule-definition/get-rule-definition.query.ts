import { Query } from '@nestjs/cqrs';

import { type RuleDefinitionResource } from '../shared/rule-definition.resource';

export class GetRuleDefinitionQuery extends Query<RuleDefinitionResource> {
  constructor(
    readonly ruleDefinition: string,
    /** Wait (briefly) until the read model reflects at least this stream version. */
    readonly minVersion: number | undefined,
  ) {
    super();
  }
}
