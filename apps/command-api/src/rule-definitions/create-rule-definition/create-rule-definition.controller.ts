import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { RuleDefinitionSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { type RuleDefinitionResource } from '../shared/rule-definition.resource';
import { RULE_DEFINITIONS_PATH, RULE_DEFINITIONS_TAG } from '../shared/rule-definition.routes';
import { CreateRuleDefinitionCommand } from './create-rule-definition.command';
import { CreateRuleDefinitionRequest } from './create-rule-definition.request.dto';

@ApiTags(RULE_DEFINITIONS_TAG)
@Controller(RULE_DEFINITIONS_PATH)
export class CreateRuleDefinitionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScope('create-group-definitions')
  @ApiOperation({
    summary: 'Create a rule definition (a JSONLogic template with declared arguments)',
    description:
      'The rule is validated when saved: unknown operators, malformed arguments, excessive ' +
      'depth or size, unsafe variable paths and undeclared arguments answer 422 by JSON path.',
  })
  @ApiData(201, RuleDefinitionSchema, 'The new rule definition at version 1.')
  @ApiAuthenticated('create-group-definitions', 400, 413, 422)
  async create(
    @Body() request: CreateRuleDefinitionRequest,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: RuleDefinitionResource }> {
    const command = CreateRuleDefinitionCommand.fromRequest(request, metadata);

    return { data: await this.commandBus.execute(command) };
  }
}
