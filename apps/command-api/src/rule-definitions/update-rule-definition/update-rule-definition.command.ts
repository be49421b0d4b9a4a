import { Command } from '@nestjs/cqrs';
import { type EventMetadata, type RuleDefinitionAttributes } from '@profile-groups/contracts';

import { toDeclarations } from '../shared/rule-definition.fields';
import { type RuleDefinitionResource } from '../shared/rule-definition.resource';
import { type UpdateRuleDefinitionRequest } from './update-rule-definition.request.dto';

export class UpdateRuleDefinitionCommand extends Command<RuleDefinitionResource> {
  constructor(
    readonly ruleDefinition: string,
    readonly changes: Partial<RuleDefinitionAttributes>,
    readonly expectedVersion: number | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }

  /** Keeps only the fields the request gave. */
  static fromRequest(
    ruleDefinition: string,
    request: UpdateRuleDefinitionRequest,
    expectedVersion: number | undefined,
    metadata: EventMetadata,
  ): UpdateRuleDefinitionCommand {
    const { arguments: declarations, ...rest } = request;
    const changes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined) changes[key] = value;
    }
    if (declarations !== undefined) changes.arguments = toDeclarations(declarations);

    return new UpdateRuleDefinitionCommand(ruleDefinition, changes, expectedVersion, metadata);
  }
}
