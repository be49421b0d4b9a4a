import { Body, Controller, Headers, Param, Put } from '@nestjs/common';
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
import { UpdateRuleDefinitionCommand } from './update-rule-definition.command';
import { UpdateRuleDefinitionRequest } from './update-rule-definition.request.dto';

@ApiTags(RULE_DEFINITIONS_TAG)
@Controller(RULE_DEFINITIONS_PATH)
export class UpdateRuleDefinitionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':ruleDefinition')
  @RequireScope('update-group-definitions')
  @ApiOperation({
    summary: 'Edit a rule definition',
    description:
      'Partial. Refused (422, by `group_rules.<group>.<rule>`) when a group rule built from it ' +
      'would no longer resolve; otherwise every such rule is re-resolved shortly after.',
  })
  @ApiRuleDefinitionParam()
  @ApiIfMatch()
  @ApiData(200, RuleDefinitionSchema, 'The rule definition after the edit.')
  @ApiAuthenticated('update-group-definitions', 400, 404, 409, 413, 422)
  async update(
    @Param('ruleDefinition', RuleDefinitionSegment) ruleDefinition: string,
    @Body() request: UpdateRuleDefinitionRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: RuleDefinitionResource }> {
    const command = UpdateRuleDefinitionCommand.fromRequest(
      ruleDefinition,
      request,
      parseIfMatch(ifMatch),
      metadata,
    );

    return { data: await this.commandBus.execute(command) };
  }
}
