import { Body, Controller, Headers, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { parseIfMatch } from '../../group-definitions/shared/concurrency';
import {
  ApiGroupParam,
  ApiIfMatch,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupRuleWriteSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import {
  ApiRuleParam,
  GROUP_RULES_PATH,
  GROUP_RULES_TAG,
  type GroupRuleWritten,
  RuleIdSegment,
} from '../shared/group-rules.routes';
import { ChangeGroupRuleCommand } from './change-group-rule.command';
import { ChangeGroupRuleRequest } from './change-group-rule.request.dto';

@ApiTags(GROUP_RULES_TAG)
@Controller(GROUP_RULES_PATH)
export class ChangeGroupRuleController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':rule')
  @RequireScope('update-group-definitions')
  @ApiOperation({
    summary: 'Edit a rule of a dynamic group',
    description: 'Partial: omitted fields keep their value. The rule_version moves on.',
  })
  @ApiGroupParam()
  @ApiRuleParam()
  @ApiIfMatch()
  @ApiData(200, GroupRuleWriteSchema, 'The rule after the edit.')
  @ApiAuthenticated('update-group-definitions', 400, 404, 409, 413, 422)
  async change(
    @Param('group', GroupSegment) group: string,
    @Param('rule', RuleIdSegment) rule: number,
    @Body() request: ChangeGroupRuleRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupRuleWritten }> {
    const command = ChangeGroupRuleCommand.fromRequest(
      group,
      rule,
      request,
      parseIfMatch(ifMatch),
      metadata,
    );

    return { data: await this.commandBus.execute(command) };
  }
}
