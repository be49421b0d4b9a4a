import { Command } from '@nestjs/cqrs';
import { type EventMetadata, type RuleDefinitionAttributes } from '@profile-groups/contracts';

import { handleFromName } from '../../group-definitions/shared/group-reference';
import { RequestValidationError } from '../../http/errors/api-errors';
import { toDeclarations } from '../shared/rule-definition.fields';
import { type RuleDefinitionResource } from '../shared/rule-definition.resource';
import { type CreateRuleDefinitionRequest } from './create-rule-definition.request.dto';

export class CreateRuleDefinitionCommand extends Command<RuleDefinitionResource> {
  constructor(
    readonly attributes: RuleDefinitionAttributes,
    readonly metadata: EventMetadata,
  ) {
    super();
  }

  /** Applies the API's defaults: a handle derived from the name, no arguments, jsonlogic. */
  static fromRequest(
    request: CreateRuleDefinitionRequest,
    metadata: EventMetadata,
  ): CreateRuleDefinitionCommand {
    const handle = request.handle ?? handleFromName(request.name);
    if (handle === null) {
      throw new RequestValidationError({
        handle: ['The handle field is required when the name has no letters or digits.'],
      });
    }

    return new CreateRuleDefinitionCommand(
      {
        handle,
        name: request.name,
        description: request.description ?? null,
        evaluator: 'jsonlogic',
        rule: request.rule,
        arguments: toDeclarations(request.arguments ?? []),
        meta: request.meta ?? null,
      },
      metadata,
    );
  }
}
