import { Controller, Delete, Headers, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { parseIfMatch } from '../../group-definitions/shared/concurrency';
import { ApiIfMatch } from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { RuleDefinitionSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { type RuleDefinitionResource } from '../shared/rule-definition.resource';
import {
  ApiRuleDefinitionParam,
  RULE_DEFINITIONS_PATH,
  RULE_DEFINITIONS_TAG,
  RuleDefinitionSegment,
} from '../shared/rule-definition.routes';
import { DeleteRuleDefinitionCommand } from './delete-rule-definition.command';

@ApiTags(RULE_DEFINITIONS_TAG)
@Controller(RULE_DEFINITIONS_PATH)
export class DeleteRuleDefinitionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':ruleDefinition')
  @RequireScope('delete-group-definitions')
  @ApiOperation({
    summary: 'Delete a rule definition',
    description:
      'Refused with 409 `rule_definition_in_use` while a group rule is built from it. ' +
      'Its history is kept and its handle becomes free.',
  })
  @ApiRuleDefinitionParam()
  @ApiIfMatch()
  @ApiData(200, RuleDefinitionSchema, 'The final state of the deleted rule definition.')
  @ApiAuthenticated('delete-group-definitions', 404, 409, 422)
  async delete(
    @Param('ruleDefinition', RuleDefinitionSegment) ruleDefinition: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: RuleDefinitionResource }> {
    const command = new DeleteRuleDefinitionCommand(
      ruleDefinition,
      parseIfMatch(ifMatch),
      metadata,
    );

    return { data: await this.commandBus.execute(command) };
  }
}
