import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type RuleDefinitionResource } from '../shared/rule-definition.resource';

export class DeleteRuleDefinitionCommand extends Command<RuleDefinitionResource> {
  constructor(
    readonly ruleDefinition: string,
    readonly expectedVersion: number | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
